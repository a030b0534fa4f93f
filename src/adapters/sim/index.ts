/** The exchange simulator's public entry point. */
export { BinanceSimulator, type BinanceSimOptions } from './binance/server.js';
export type { BinanceMarketKind } from './binance/wire.js';
export { parseFaultCommand, FaultCommandError, type FaultCommand, type MalformedKind } from './faults.js';
export { Market, SymbolMarket, defaultSyntheticParams, type MarketListener, type MarketOptions, type SyntheticParams } from './market.js';
export { generatedNames, parseSymbolsOption, specsFor, MAX_SYMBOLS, type SymbolSpec } from './symbols.js';
export { Rng } from './rng.js';
