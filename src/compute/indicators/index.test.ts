import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('indicators public API', () => {
  it('exports every streaming class with its batch function, and the spec parser', () => {
    const pairs: [unknown, unknown][] = [
      [api.SMA, api.smaBatch], [api.EMA, api.emaBatch], [api.WMA, api.wmaBatch], [api.DEMA, api.demaBatch],
      [api.TEMA, api.temaBatch], [api.KAMA, api.kamaBatch], [api.RSI, api.rsiBatch], [api.MACD, api.macdBatch],
      [api.BollingerBands, api.bbandsBatch], [api.StdDev, api.stddevBatch], [api.LinRegSlope, api.linregSlopeBatch],
      [api.ROC, api.rocBatch], [api.MOM, api.momBatch], [api.StochRSI, api.stochRsiBatch], [api.Atr, api.atr],
      [api.Natr, api.natr], [api.Adx, api.adx], [api.Dx, api.dx], [api.Adxr, api.adxr], [api.Aroon, api.aroon],
      [api.Stoch, api.stoch], [api.Cci, api.cci], [api.WillR, api.willr], [api.Mfi, api.mfi], [api.Obv, api.obv],
      [api.Vwap, api.vwap], [api.Keltner, api.keltner], [api.Donchian, api.donchian], [api.Sar, api.sar],
    ];
    for (const [cls, batch] of pairs) {
      expect(typeof cls).toBe('function');
      expect(typeof batch).toBe('function');
    }
    expect(api.parseIndicatorSpec('ema(3)')[0].columns).toStrictEqual(['ema_3']);
    expect(api.indicatorDefinitions.length).toBe(api.priceIndicators.length + api.hlcvIndicators.length);
    expect(Array.from(api.runBatch(new api.EMA(2), new Float64Array([1, 3, 5])))).toStrictEqual([Number.NaN, 2, 4]);
  });
});
