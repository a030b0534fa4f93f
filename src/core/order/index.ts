export * from './enums.js';
export * from './events.js';
export * from './state-table.js';
export * from './order.js';
export * from './commands.js';
export * from './codec.js';
