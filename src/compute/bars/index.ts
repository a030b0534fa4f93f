export * from './bar-builder.js';
export * from './time-bars.js';
export * from './threshold-bars.js';
export * from './quote-bars.js';
export * from './resampler.js';
