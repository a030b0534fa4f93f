/** Test support for indicators: contract suites, the TA-Lib reference and deterministic series. Not for production code. */
export * from './contract.js';
export * from './series.js';
export * from './talib.js';
export * from './references.js';
