export * from './errors.js';
export * from './time.js';
export * from './identifiers.js';
export * from './decimal.js';
export * from './price.js';
export * from './bar-spec.js';
export * from './data.js';
