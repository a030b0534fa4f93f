import { describe, expect, it } from 'vitest';
import { bucketNext, bucketStart, Kline } from './klines.js';
import { Market, type MarketListener, type SymbolMarket } from './market.js';
import { Rng } from './rng.js';
import { generatedNames, parseSymbolsOption, specsFor } from './symbols.js';
import { decimalsOf, formatFixed, formatPadded, parseFixed } from './fixed.js';
import { corruptFrame, parseFaultCommand } from './faults.js';

const START = Date.UTC(2024, 0, 1) * 1000;

/** Records every event as a line, and checks the book after each one. */
function recorder(): MarketListener & { log: string[]; problems: string[]; trades: number[] } {
  const log: string[] = [];
  const problems: string[] = [];
  const trades: number[] = [];
  const check = (m: SymbolMarket, what: string): void => {
    if (m.bestBid >= 0 && m.bestAsk >= 0 && m.bestBid >= m.bestAsk) problems.push(`${what}: crossed ${m.bestBid} >= ${m.bestAsk}`);
    if (m.bestBid >= 0 && m.bidAt(m.bestBid) <= 0) problems.push(`${what}: empty best bid`);
  };
  return {
    log,
    problems,
    trades,
    trade(m, id, p, q, t, bm) {
      log.push(`T ${m.symbol} ${id} ${p} ${q} ${t} ${bm}`);
      trades.push(t);
      if (!(q > 0) || !(p > 0)) problems.push(`bad trade ${p} ${q}`);
    },
    aggTrade(m, a, p, q, f, l, t, bm) {
      log.push(`A ${m.symbol} ${a} ${p} ${q} ${f} ${l} ${t} ${bm}`);
    },
    bookTicker(m, t) {
      log.push(`B ${m.symbol} ${m.updateId} ${m.bestBid} ${m.bestAsk} ${t}`);
      check(m, 'ticker');
    },
    depthDiff(m, w, U, u, pu, t, b, a) {
      log.push(`D${w} ${m.symbol} ${U} ${u} ${pu} ${t} ${b.join(',')}|${a.join(',')}`);
      for (let i = 1; i < b.length; i += 2) if (b[i] < 0) problems.push('negative bid size');
      for (let i = 1; i < a.length; i += 2) if (a[i] < 0) problems.push('negative ask size');
    },
    boundary() {},
  };
}

function run(seed: number, seconds: number, names = ['BTCUSDT', 'ETHUSDT', 'SYM0001USDT']): ReturnType<typeof recorder> & { market: Market } {
  const r = recorder();
  const market = new Market({ seed, symbols: specsFor(names, seed), startUs: START }, r);
  market.advanceTo(START + seconds * 1_000_000);
  return Object.assign(r, { market });
}

describe('synthetic market state machine', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = run(1, 20);
    const b = run(1, 20);
    const c = run(2, 20);
    expect(a.log.length).toBeGreaterThan(1000);
    expect(b.log).toEqual(a.log);
    expect(c.log).not.toEqual(a.log);
  });

  it('gives each symbol its own random stream (adding a symbol changes no other symbol)', () => {
    const two = run(5, 10, ['BTCUSDT', 'ETHUSDT']).log.filter((l) => l.includes(' BTCUSDT '));
    const three = run(5, 10, ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']).log.filter((l) => l.includes(' BTCUSDT '));
    expect(three).toEqual(two);
  });

  it('keeps the book uncrossed with positive sizes and chains diff ids in both windows', () => {
    const r = run(3, 60);
    expect(r.problems).toEqual([]);
    for (const w of ['D100', 'D1000']) {
      for (const sym of ['BTCUSDT', 'ETHUSDT']) {
        const diffs = r.log.filter((l) => l.startsWith(`${w} ${sym} `)).map((l) => l.split(' ').slice(2, 5).map(Number));
        expect(diffs.length).toBeGreaterThan(w === 'D100' ? 100 : 30);
        for (let i = 1; i < diffs.length; i++) {
          expect(diffs[i][0]).toBe(diffs[i - 1][1] + 1);
          expect(diffs[i][2]).toBe(diffs[i - 1][1]);
        }
      }
    }
  });

  it('clusters trades: counts per second are overdispersed, unlike a Poisson process', () => {
    const r = run(4, 600, ['BTCUSDT']);
    const perSecond = new Map<number, number>();
    for (const t of r.trades) perSecond.set(Math.floor(t / 1e6), (perSecond.get(Math.floor(t / 1e6)) ?? 0) + 1);
    const counts = Array.from({ length: 600 }, (_, i) => perSecond.get(START / 1e6 + i) ?? 0);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    const variance = counts.reduce((a, b) => a + (b - mean) ** 2, 0) / counts.length;
    expect(mean).toBeGreaterThan(2);
    expect(variance / mean).toBeGreaterThan(1.5);
  });

  it('moves the price with fat-tailed returns (stochastic volatility and jumps)', () => {
    const r = run(6, 1800, ['BTCUSDT']);
    const m = r.market.bySymbol.get('BTCUSDT')!;
    const closes = m.minutes.map((k) => k.c);
    const rets = closes.slice(1).map((c, i) => Math.log(c / closes[i]));
    const mean = rets.reduce((a, b) => a + b, 0) / rets.length;
    const v = rets.reduce((a, b) => a + (b - mean) ** 2, 0) / rets.length;
    expect(v).toBeGreaterThan(0);
    expect(new Set(closes).size).toBeGreaterThan(10);
    const kurt = rets.reduce((a, b) => a + (b - mean) ** 4, 0) / rets.length / (v * v);
    expect(kurt).toBeGreaterThan(3);
  });

  it('skips update ids on a gap and reports every empty minute as a kline', () => {
    const r = recorder();
    const market = new Market({ seed: 1, symbols: specsFor(['ABCUSDT'], 1), startUs: START, mode: 'external' }, r);
    const m = market.symbols[0];
    m.externalTrade(100, 5, START + 1000, false);
    market.advanceTo(START + 180_000_000);
    m.externalTrade(90, 1, START + 180_500_000, true, 77);
    expect(m.minutes.map((k) => [k.n, k.o, k.c])).toEqual([
      [1, 100, 100],
      [0, 100, 100],
      [0, 100, 100],
    ]);
    expect(m.kline('3m', Date.UTC(2024, 0, 1)).n).toBe(1);
    expect(m.trades.id[m.trades.slot(1)]).toBe(77);
    const before = m.updateId;
    m.skipUpdateIds(4);
    expect(m.updateId).toBe(before + 4);
    expect(() => new Market({ seed: 1, symbols: specsFor(['A1USDT'], 1), startUs: START, stepUs: 7000 }, r)).toThrow(RangeError);
  });

  it('recentres its price ladder on large moves without losing consistency', () => {
    const r = recorder();
    const market = new Market({ seed: 8, symbols: specsFor(['JMPUSDT'], 8), startUs: START, params: { jumpRate: 2, jumpStdev: 0.05 } }, r);
    market.advanceTo(START + 120_000_000);
    expect(r.problems).toEqual([]);
    const m = market.symbols[0];
    const prices = r.log.filter((l) => l.startsWith('T ')).map((l) => Number(l.split(' ')[3]));
    expect(Math.max(...prices) / Math.min(...prices)).toBeGreaterThan(1.1);
    const { bids, asks } = m.levels(5);
    expect(bids[0]).toBe(m.bestBid);
    expect(asks[0]).toBe(m.bestAsk);
  });
});

describe('simulator helpers', () => {
  it('draws reproducible numbers with the right moments', () => {
    const a = new Rng(1, 2);
    const b = new Rng(1, 2);
    const xs = Array.from({ length: 20_000 }, () => a.normal());
    expect(Array.from({ length: 20_000 }, () => b.normal())).toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    const ps = Array.from({ length: 20_000 }, () => a.poisson(3));
    expect(Math.abs(ps.reduce((s, x) => s + x, 0) / ps.length - 3)).toBeLessThan(0.1);
    expect(a.poisson(0)).toBe(0);
    expect(a.poisson(100)).toBeGreaterThan(50);
    expect(a.geometric(1)).toBe(0);
    expect(new Rng(1, 3).uint32()).not.toBe(new Rng(1, 2).uint32());
  });

  it('formats and parses fixed-point decimals exactly', () => {
    expect(formatFixed(12345, 2)).toBe('123.45');
    expect(formatFixed(5, 3)).toBe('0.005');
    expect(formatFixed(7n, 0)).toBe('7');
    expect(formatPadded(35280, 5, 8)).toBe('0.35280000');
    expect(formatPadded(3, 0, 8)).toBe('3.00000000');
    expect(parseFixed('0.3528', 8)).toBe(35_280_000);
    expect(parseFixed('12', 2)).toBe(1200);
    expect(() => parseFixed('-1', 2)).toThrow(RangeError);
    expect(decimalsOf('0.01000000')).toBe(2);
    expect(decimalsOf('15')).toBe(0);
  });

  it('aligns kline buckets like Binance: weeks on Monday, months on the 1st', () => {
    const wed = Date.UTC(2024, 0, 3, 12);
    expect(bucketStart(wed, '1w')).toBe(Date.UTC(2024, 0, 1));
    expect(bucketStart(wed, '1M')).toBe(Date.UTC(2024, 0, 1));
    expect(bucketNext(Date.UTC(2024, 0, 1), '1M')).toBe(Date.UTC(2024, 1, 1));
    expect(bucketStart(wed, '4h')).toBe(Date.UTC(2024, 0, 3, 12));
    const k = new Kline(0, 60_000, 50);
    k.add(1, 2 ** 30, 2 ** 30, false);
    k.add(2, 2 ** 30, 2 ** 30, true);
    expect(k.q).toBe(2n * 2n ** 60n);
    expect(k.Q).toBe(2n ** 60n);
    const sum = new Kline(0, 120_000, 0);
    sum.merge(new Kline(0, 60_000, 7));
    expect(sum.c).toBe(7);
    sum.merge(k);
    expect([sum.n, sum.f, sum.L, sum.q]).toEqual([2, 1, 2, k.q]);
  });

  it('names and sizes symbols', () => {
    expect(generatedNames(3)).toEqual(['SYM0001USDT', 'SYM0002USDT', 'SYM0003USDT']);
    expect(generatedNames(10_000)[9999]).toBe('SYM10000USDT');
    expect(() => generatedNames(10_001)).toThrow(RangeError);
    expect(parseSymbolsOption('btcusdt, ETHUSDT')).toEqual(['btcusdt', 'ETHUSDT']);
    const [btc, eur] = specsFor(['BTCUSDT', 'ABC-EUR'], 1);
    expect(btc).toMatchObject({ baseAsset: 'BTC', quoteAsset: 'USDT', initialPrice: 60_000 });
    expect(eur).toMatchObject({ baseAsset: 'ABC', quoteAsset: 'EUR' });
    expect(btc.pricePrecision + btc.qtyPrecision).toBeLessThanOrEqual(8);
    expect(() => specsFor(['BTCUSDT', 'btcusdt'], 1)).toThrow('duplicate');
    expect(() => specsFor(['bad name'], 1)).toThrow('bad symbol');
  });

  it('validates fault commands and corrupts frames as asked', () => {
    expect(parseFaultCommand({ type: 'gap' })).toEqual({ type: 'gap', count: 10 });
    expect(parseFaultCommand({ type: 'malformed', kind: 'invalid-json' })).toEqual({ type: 'malformed', kind: 'invalid-json', count: 1 });
    expect(parseFaultCommand({ type: 'disconnect', mode: 'close' })).toEqual({ type: 'disconnect', mode: 'close' });
    expect(parseFaultCommand({ type: 'send-buffer', bytes: 10 })).toEqual({ type: 'send-buffer', bytes: 10 });
    for (const bad of [null, { type: 'stall', ms: -1 }, { type: 'stall', ms: 1, drop: 'y' }, { type: 'malformed', kind: 'x' }, { type: 'disconnect', mode: 'x' }, { type: 'gap', symbol: '' }]) {
      expect(() => parseFaultCommand(bad)).toThrow();
    }
    const trade = '{"e":"trade","s":"X","p":"1.5","q":"2"}';
    expect(() => JSON.parse(corruptFrame(trade, 'invalid-json'))).toThrow();
    expect(JSON.parse(corruptFrame(trade, 'negative-price'))).toMatchObject({ p: '-1.5' });
    expect(JSON.parse(corruptFrame(trade, 'missing-field'))).toEqual({ e: 'trade', s: 'X', q: '2' });
    const depth = '{"e":"depthUpdate","U":1,"u":2,"b":[["1","2"],["0.5","1"]],"a":[["3","4"]]}';
    expect(JSON.parse(corruptFrame(depth, 'missing-field'))).toEqual({ e: 'depthUpdate', U: 1, u: 2, a: [['3', '4']] });
    expect(JSON.parse(corruptFrame('{"x":1,"p":2}', 'missing-field'))).toEqual({ x: 1 });
    expect(JSON.parse(corruptFrame('{"lastUpdateId":1,"bids":[["1","2"]]}', 'negative-price'))).toEqual({ lastUpdateId: 1, bids: [['-1', '2']] });
  });
});
