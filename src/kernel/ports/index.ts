export * from './market-store.js';
export * from './hot-cache.js';
export * from './trading-store.js';
