export * from './market-store.js';
export * from './hot-cache.js';
export * from './trading-store.js';
export * from './api-key-store.js';
export * from './feature-store.js';
export * from './registry-store.js';
