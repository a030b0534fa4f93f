export * from './errors.js';
export * from './reader.js';
export * from './output.js';
export * from './formats.js';
