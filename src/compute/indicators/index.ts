/**
 * Public API of the streaming indicators: the contract, every indicator class with its batch function, the
 * definitions by name and the spec parser. Test support lives in ./testing and is not exported here.
 */
export type { Ohlcv, StreamingIndicator } from './indicator.js';
export { NotWarmedUpError } from './indicator.js';
export type { BarIndicator, IndicatorDefinition } from './definition.js';
export { IndicatorParameterError, RecordIndicator, ScalarIndicator, runBatch } from './base.js';
export { columnName, findIndicator, IndicatorRow, IndicatorSpecError, indicatorDefinitions, parseIndicatorSpec } from './registry.js';
export type { IndicatorInstance } from './registry.js';
export { priceIndicators } from './catalog-price.js';
export { hlcvIndicators } from './catalog-hlcv.js';

// Over one price series.
export { SMA, smaBatch } from './sma/sma.js';
export { EMA, emaBatch } from './ema/ema.js';
export { WMA, wmaBatch } from './wma/wma.js';
export { DEMA, demaBatch } from './dema/dema.js';
export { TEMA, temaBatch } from './tema/tema.js';
export { KAMA, kamaBatch } from './kama/kama.js';
export { RSI, rsiBatch } from './rsi/rsi.js';
export { MACD, macdBatch } from './macd/macd.js';
export type { MacdBatch, MacdResult } from './macd/macd.js';
export { BollingerBands, bbandsBatch } from './bbands/bbands.js';
export type { BollingerBatch, BollingerResult } from './bbands/bbands.js';
export { StdDev, stddevBatch } from './stddev/stddev.js';
export { LinRegSlope, linregSlopeBatch } from './linregslope/linregslope.js';
export { ROC, rocBatch } from './roc/roc.js';
export { MOM, momBatch } from './mom/mom.js';
export { StochRSI, stochRsiBatch } from './stochrsi/stochrsi.js';
export type { StochRsiBatch, StochRsiResult } from './stochrsi/stochrsi.js';

// Over high, low, close and volume.
export { Atr, atr } from './atr/atr.js';
export { Natr, natr } from './natr/natr.js';
export { Adx, Adxr, Dx, MinusDi, PlusDi, adx, adxr, dx } from './adx/adx.js';
export type { AdxColumns, AdxResult } from './adx/adx.js';
export { Aroon, AroonOsc, aroon } from './aroon/aroon.js';
export type { AroonColumns, AroonResult } from './aroon/aroon.js';
export { Stoch, stoch } from './stoch/stoch.js';
export type { StochColumns, StochResult } from './stoch/stoch.js';
export { Cci, cci } from './cci/cci.js';
export { WillR, willr } from './willr/willr.js';
export { Mfi, mfi } from './mfi/mfi.js';
export { Obv, obv } from './obv/obv.js';
export { BarTimeOrderError, MissingBarTimeError, Vwap, vwap } from './vwap/vwap.js';
export type { TimedOhlcv, VwapOptions } from './vwap/vwap.js';
export { Keltner, keltner } from './keltner/keltner.js';
export type { KeltnerColumns, KeltnerResult } from './keltner/keltner.js';
export { Donchian, donchian } from './donchian/donchian.js';
export type { DonchianColumns, DonchianResult } from './donchian/donchian.js';
export { Sar, sar } from './sar/sar.js';
