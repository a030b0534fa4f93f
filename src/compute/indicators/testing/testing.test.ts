import { describe, expect, it } from 'vitest';
import { compareSeries, expectMatchesTalib, streamColumns, talib } from './talib.js';
import { contractBarSeries, contractPriceSeries, mulberry32, randomOhlcv, randomWalk, toBars } from './series.js';
import { SMA } from '../sma/sma.js';
import { indicatorDefinitions } from '../registry.js';
import { talibReferences } from './references.js';

describe('series generators', () => {
  it('are deterministic per seed and differ between seeds', () => {
    expect(randomWalk(100, 1)).toStrictEqual(randomWalk(100, 1));
    expect(randomWalk(100, 1)).not.toStrictEqual(randomWalk(100, 2));
    const r = mulberry32(3);
    for (let i = 0; i < 1000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('make realistic bars: high >= max(open, close), low <= min(open, close), volume >= 0', () => {
    const s = randomOhlcv(5000, 42, { flatEvery: 10, zeroVolumeEvery: 7 });
    let flat = 0;
    let zero = 0;
    for (let i = 0; i < 5000; i++) {
      expect(s.high[i]).toBeGreaterThanOrEqual(Math.max(s.open[i], s.close[i]));
      expect(s.low[i]).toBeLessThanOrEqual(Math.min(s.open[i], s.close[i]));
      expect(s.low[i]).toBeGreaterThan(0);
      expect(s.volume[i]).toBeGreaterThanOrEqual(0);
      if (s.high[i] === s.low[i]) flat++;
      if (s.volume[i] === 0) zero++;
    }
    expect(flat).toBe(500);
    expect(zero).toBe(714);
    expect(toBars(s)[3]).toStrictEqual({ open: s.open[3], high: s.high[3], low: s.low[3], close: s.close[3], volume: s.volume[3] });
  });

  it('contract series are finite and long', () => {
    for (const xs of Object.values(contractPriceSeries())) expect(xs.every(Number.isFinite) && xs.length === 600).toBe(true);
    for (const bars of Object.values(contractBarSeries())) expect(bars.length).toBe(600);
  });
});

describe('TA-Lib reference', () => {
  it('aligns outputs with the input and reports the lookback', () => {
    const r = talib('SMA', { inReal: [1, 2, 3, 4, 5] }, { optInTimePeriod: 3 });
    expect(r.begIndex).toBe(2);
    expect(Array.from(r.outputs.outReal)).toStrictEqual([Number.NaN, Number.NaN, 2, 3, 4]);
    // A Float64Array input is copied (the binding misreads typed arrays).
    expect(Array.from(talib('SMA', { inReal: new Float64Array([1, 2, 3]) }, { optInTimePeriod: 2 }).outputs.outReal)).toStrictEqual([Number.NaN, 1.5, 2.5]);
  });

  it('reports too-short input as all warm-up, and rejects bad calls', () => {
    expect(talib('SMA', { inReal: [1, 2] }, { optInTimePeriod: 5 }).begIndex).toBe(2);
    expect(() => talib('NOPE', { inReal: [1, 2] })).toThrow(/NOPE/);
    expect(() => talib('SMA', { high: [1], low: [1, 2] })).toThrow(/expected 1/);
  });

  it('compares within 1e-9 relative (1e-9 absolute near zero), and flags warm-up mismatches', () => {
    expect(compareSeries([1, 2, Number.NaN], [1 + 1e-10, 2, Number.NaN]).failures).toBe(0);
    expect(compareSeries([100], [100 * (1 + 2e-9)]).failures).toBe(1);
    expect(compareSeries([1e-12], [5e-10]).failures).toBe(0);
    expect(compareSeries([Number.NaN, 1], [1, 1]).warmupMismatches).toBe(1);
    expect(() => expectMatchesTalib([Number.NaN, 1], [1, 1], 'x')).toThrow(/warm-up/);
    expect(() => expectMatchesTalib([1, 1.1], [1, 1], 'x')).toThrow(/index 1/);
    expect(() => expectMatchesTalib([Number.NaN], [Number.NaN], 'x')).toThrow(/nothing/);
  });

  it('streams an indicator into aligned columns', () => {
    const [col] = streamColumns(new SMA(2), [1, 2, 3], (r) => [r], 1);
    expect(Array.from(col)).toStrictEqual([Number.NaN, 1.5, 2.5]);
  });
});

describe('TA-Lib references', () => {
  it('cover every registry indicator but vwap, one column per output, lined up with the definition', () => {
    // The eval and the benchmark look references up by registry name; a missing one would fail there first.
    const s = randomOhlcv(400, 11);
    const bars = toBars(s);
    for (const d of indicatorDefinitions) {
      if (d.name === 'vwap') continue;
      const r = talibReferences[d.name];
      expect(r, `no TA-Lib reference for ${d.name}`).toBeDefined();
      const params = d.params.map(([, v]) => v);
      const cols = r.ref(s, params);
      expect(cols.length, d.name).toBe(d.outputs.length);
      const ind = d.create(params);
      const out = new Float64Array(d.outputs.length);
      const ours = d.outputs.map(() => new Float64Array(bars.length));
      bars.forEach((bar, i) => {
        ind.update(bar, out, 0);
        ours.forEach((c, k) => (c[i] = out[k]));
      });
      ours.forEach((c, k) => expectMatchesTalib(c, cols[k], `${d.name}.${d.outputs[k]}`));
    }
  });
});
