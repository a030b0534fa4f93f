import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalRaw } from '../../core/decimal.js';
import type { UnixMicros } from '../../core/time.js';
import { parseDecimalSlice } from '../common/decimal-slice.js';
import { BinanceParser, parseBinanceFrame } from './parse.js';
import { FastFrameScanner } from './parse-fast.js';
import { parseSlow } from './parse-slow.js';
import { FRAMES, lookupBtc } from './testing/frames.js';
import type { BinanceMessage } from './types.js';

const T0 = 1_700_000_000_999_000 as UnixMicros;
const parse = (f: string): BinanceMessage => parseBinanceFrame(f, lookupBtc, T0);

function plain(m: unknown): unknown {
  return JSON.parse(JSON.stringify(m ?? null));
}

describe('parseBinanceFrame: valid frames', () => {
  it('spot trade: price/size exact at instrument precision, aggressor from m, trade time', () => {
    expect(plain(parse(FRAMES.spotTrade))).toEqual({
      type: 'trade',
      instrumentId: 'BTCUSDT.BINANCE',
      price: '37000.10',
      size: '0.00150',
      aggressorSide: 'SELLER',
      tradeId: '12345',
      tsEvent: 1_700_000_000_120_000,
      tsInit: T0,
    });
    const m = parse(FRAMES.spotTrade);
    expect(m.type === 'trade' && m.price.raw).toBe(3_700_010);
  });

  it('combined-stream trade and aggTrade (id a), futures aggTrade', () => {
    const t = parse(FRAMES.spotTradeCombined);
    expect(t.type === 'trade' && [t.aggressorSide, t.tradeId, String(t.size)]).toEqual(['BUYER', '12346', '0.50000']);
    const a = parse(FRAMES.spotAggTrade);
    expect(a.type === 'trade' && [a.tradeId, String(a.price), a.tsEvent]).toEqual(['777', '36999.99', 1_700_000_000_199_000]);
    const f = parse(FRAMES.futuresAggTrade);
    expect(f.type === 'trade' && [f.tradeId, String(f.price), f.aggressorSide]).toEqual(['5555', '37010.10', 'SELLER']);
  });

  it('bookTicker: spot without e or time (tsEvent = tsInit), futures with T', () => {
    const s = parse(FRAMES.spotBookTicker);
    expect(plain(s)).toEqual({
      type: 'quote',
      instrumentId: 'BTCUSDT.BINANCE',
      bidPrice: '36999.99',
      askPrice: '37000.00',
      bidSize: '31.21000',
      askSize: '40.66000',
      tsEvent: T0,
      tsInit: T0,
    });
    const f = parse(FRAMES.futuresBookTicker);
    expect(f.type === 'quote' && f.tsEvent).toBe(1_700_000_000_398_000);
    const timed = parse(FRAMES.spotBookTickerTimed);
    expect(timed.type === 'quote' && [timed.tsEvent, String(timed.bidSize)]).toEqual([1_700_000_000_121_000, '2.35950']);
    const live = parse(FRAMES.futuresBookTickerLive);
    expect(live.type === 'quote' && [live.tsEvent, String(live.askSize)]).toEqual([1_700_000_000_412_000, '297.00000']);
    const ft = parse(FRAMES.futuresTrade);
    expect(ft.type === 'trade' && [ft.tradeId, ft.tsEvent, ft.aggressorSide]).toEqual(['4242', 1_700_000_000_129_000, 'BUYER']);
  });

  it('depth diff: U, u, pu and level deltas bids then asks', () => {
    const s = parse(FRAMES.spotDepth);
    expect(s.type).toBe('depth_diff');
    if (s.type !== 'depth_diff') return;
    expect([s.symbol, s.firstUpdateId, s.finalUpdateId, s.prevFinalUpdateId]).toEqual(['BTCUSDT', 157, 160, -1]);
    expect(plain(s.deltas.deltas)).toEqual([
      { side: 'BID', price: '36999.00', size: '1.50000' },
      { side: 'BID', price: '36998.00', size: '0.00000' },
      { side: 'ASK', price: '37001.00', size: '2.25000' },
    ]);
    expect([s.deltas.firstSequence, s.deltas.sequence, s.deltas.tsEvent]).toEqual([157, 160, 1_700_000_000_500_000]);
    const f = parse(FRAMES.futuresDepth);
    expect(f.type === 'depth_diff' && [f.prevFinalUpdateId, f.deltas.tsEvent]).toEqual([149, 1_700_000_000_598_000]);
  });

  it('kline: bar with exclusive close time, closed flag and trade ids', () => {
    const k = parse(FRAMES.spotKline);
    expect(k.type).toBe('kline');
    if (k.type !== 'kline') return;
    expect([k.closed, k.interval, k.firstTradeId, k.lastTradeId]).toEqual([true, '1m', 100, 200]);
    expect(plain(k.bar)).toMatchObject({
      open: '37000.00',
      high: '37020.00',
      low: '36990.00',
      close: '37010.00',
      volume: '12.50000',
      tradeCount: 101,
      tsOpen: 1_700_000_000_000_000,
      tsEvent: 1_700_000_060_000_000,
      spec: { step: 1, unit: 'minute', source: 'last' },
    });
    const week = parse(FRAMES.spotKline.replace('"i":"1m"', '"i":"1w"'));
    expect(week.type === 'kline' && week.bar.spec.unit).toBe('day');
  });

  it('control replies carry the request id and error', () => {
    expect(parse(FRAMES.subscribeReply)).toEqual({ type: 'control', id: 1, result: null, error: undefined });
    expect(parse(FRAMES.errorReply)).toEqual({ type: 'control', id: 'abc', result: null, error: { code: 2, msg: 'Invalid request: unknown variable' } });
  });

  it('the fast scanner handles trades, tickers and depth; klines and replies fall back', () => {
    const p = new BinanceParser(lookupBtc);
    const fast = [FRAMES.spotTrade, FRAMES.spotTradeCombined, FRAMES.spotAggTrade, FRAMES.futuresAggTrade, FRAMES.futuresTrade, FRAMES.spotBookTicker, FRAMES.spotBookTickerTimed, FRAMES.futuresBookTicker, FRAMES.futuresBookTickerLive, FRAMES.spotDepth, FRAMES.futuresDepth];
    for (const f of fast) p.parse(f, T0);
    expect([p.fastCount, p.slowCount]).toEqual([fast.length, 0]);
    // A trade in a layout no regex knows still takes the general scanner.
    p.parse(FRAMES.spotTrade.replace('"M":true', '"M":true,"x":1'), T0);
    expect(p.slowCount).toBe(0);
    p.parse(FRAMES.spotKline, T0);
    p.parse(FRAMES.subscribeReply, T0);
    expect(p.slowCount).toBe(2);
    const scannerTrade = new FastFrameScanner(lookupBtc);
    scannerTrade.parse(FRAMES.futuresTrade, T0);
    expect(scannerTrade.streamName()).toBe('btcusdt@trade');
    scannerTrade.parse(FRAMES.spotBookTicker, T0);
    expect(scannerTrade.streamName()).toBe('');
    const scanner = new FastFrameScanner(lookupBtc);
    scanner.parse(FRAMES.spotDepth, T0);
    expect(scanner.streamName()).toBe('btcusdt@depth@100ms');
    scanner.parse(FRAMES.spotTrade, T0);
    expect(scanner.streamName()).toBe('');
  });

  it('pretty-printed and escaped frames go the JSON.parse way with the same result', () => {
    const pretty = JSON.stringify(JSON.parse(FRAMES.spotDepth), null, 2);
    expect(plain(parse(pretty))).toEqual(plain(parse(FRAMES.spotDepth)));
    const escaped = FRAMES.spotTrade.replace('"BTCUSDT"', '"BTC\\u0055SDT"');
    expect(plain(parse(escaped))).toEqual(plain(parse(FRAMES.spotTrade)));
  });
});

describe('parseBinanceFrame: rejections name reason and field', () => {
  const cases: [string, string, string, string | undefined][] = [
    ['invalid JSON', '{"e":"trade",', 'invalid_json', undefined],
    ['not an object', '[1,2]', 'not_object', undefined],
    ['data not an object', '{"stream":"x","data":5}', 'not_object', 'data'],
    ['unknown type', '{"e":"24hrTicker","s":"BTCUSDT"}', 'unknown_type', 'e'],
    ['missing price', FRAMES.spotTrade.replace('"p":"37000.10000000",', ''), 'missing_field', 'p'],
    ['NaN price', FRAMES.spotTrade.replace('"37000.10000000"', '"NaN"'), 'bad_price', 'p'],
    ['numeric price', FRAMES.spotTrade.replace('"37000.10000000"', '37000.1'), 'bad_price', 'p'],
    ['too precise price', FRAMES.spotTrade.replace('"37000.10000000"', '"37000.101"'), 'bad_price', 'p'],
    ['negative price', FRAMES.spotTrade.replace('"37000.10000000"', '"-1.00"'), 'negative_price', 'p'],
    ['zero price', FRAMES.spotTrade.replace('"37000.10000000"', '"0.00"'), 'bad_price', 'p'],
    ['negative size', FRAMES.spotTrade.replace('"0.00150000"', '"-0.5"'), 'negative_size', 'q'],
    ['zero trade size', FRAMES.spotTrade.replace('"0.00150000"', '"0"'), 'bad_size', 'q'],
    ['bad size', FRAMES.spotTrade.replace('"0.00150000"', '"1e3"'), 'bad_size', 'q'],
    ['numeric size', FRAMES.spotTrade.replace('"0.00150000"', 'null'), 'bad_size', 'q'],
    ['unknown symbol', FRAMES.spotTrade.replace('"BTCUSDT"', '"ETHUSDT"'), 'unknown_instrument', 's'],
    ['string id', FRAMES.spotTrade.replace('"t":12345', '"t":"12345"'), 'bad_field', 't'],
    ['m not boolean', FRAMES.spotTrade.replace('"m":true', '"m":1'), 'bad_field', 'm'],
    ['time out of range', FRAMES.spotTrade.replace('"T":1700000000120', '"T":1e300'), 'bad_field', 'T'],
    ['stream not a string', '{"stream":1,"data":{}}', 'bad_field', 'stream'],
    ['depth level not a pair', FRAMES.spotDepth.replace('["37001.00","2.25"]', '["37001.00"]'), 'bad_field', 'data.a[0]'],
    ['depth levels not an array', FRAMES.futuresDepth.replace('"b":[["36999.0","10"]]', '"b":{}'), 'bad_field', 'b'],
    ['depth negative level size', FRAMES.spotDepth.replace('"2.25"', '"-2.25"'), 'negative_size', 'data.a[0][1]'],
    ['depth u < U', FRAMES.spotDepth.replace('"u":160', '"u":100'), 'bad_field', 'data.u'],
    ['depth bad pu', FRAMES.futuresDepth.replace('"pu":149', '"pu":-3'), 'bad_field', 'pu'],
    ['bookTicker ask NaN', FRAMES.spotBookTicker.replace('"a":"37000.00000000"', '"a":"abc"'), 'bad_price', 'a'],
    ['kline not an object', FRAMES.spotKline.replace(/"k":\{.*\}\}\}$/, '"k":[]}}'), 'bad_field', 'data.k'],
    ['kline month interval', FRAMES.spotKline.replace('"i":"1m"', '"i":"1M"'), 'bad_field', 'data.k.i'],
    ['kline closes before open', FRAMES.spotKline.replace('"T":1700000059999', '"T":1'), 'bad_field', 'data.k.T'],
    ['kline high below close', FRAMES.spotKline.replace('"h":"37020.00"', '"h":"37005.00"'), 'bad_price', 'data.k.h'],
    ['control with bad id', '{"result":null,"id":1.5}', 'bad_field', 'id'],
    ['control with bad error', '{"error":"x","id":1}', 'bad_field', 'error'],
  ];
  it.each(cases)('%s', (_name, frame, reason, field) => {
    const m = parse(frame);
    expect(m.type).toBe('rejection');
    if (m.type !== 'rejection') return;
    expect(m.reason).toBe(reason);
    expect(m.field).toBe(field);
    expect(m.detail.length).toBeGreaterThan(0);
  });
});

const VALID = Object.values(FRAMES);

/** Frames derived from valid ones: a char replaced, deleted or inserted, a slice cut, a value swapped. */
const mutated = fc.oneof(
  fc.tuple(fc.constantFrom(...VALID), fc.nat(), fc.string({ maxLength: 3 }), fc.nat({ max: 3 })).map(([f, at, ins, del]) => {
    const i = at % (f.length + 1);
    return f.slice(0, i) + ins + f.slice(i + del);
  }),
  fc.tuple(fc.constantFrom(...VALID), fc.constantFrom('"', ',', ':', '{', '}', '[', ']', '-', '.', '0', 'e', ' ', '\\', '\n'), fc.nat()).map(([f, c, at]) => {
    const i = at % (f.length + 1);
    return f.slice(0, i) + c + f.slice(i);
  }),
  fc
    .tuple(
      fc.constantFrom(...VALID),
      fc.constantFrom('"37000.10000000"', '"0.00150000"', '12345', 'true', '"1.5"', '"36999.00"', '157', '160', '"BTCUSDT"'),
      fc.constantFrom('"-1"', '"NaN"', 'null', '"1e5"', '1.5', '-7', '"0"', '""', '[]', '{}', '"1.123456789"', '99999999999999999999', '"BTC\\"USDT"', 'tru'),
    )
    .map(([f, from, to]) => f.replace(from, to)),
);

describe('parser properties', () => {
  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.string({ unit: 'binary' })), (s) => {
        expect(['rejection', 'control', 'trade', 'quote', 'depth_diff', 'kline']).toContain(parse(s).type);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated valid frames, and the fast path agrees with the JSON.parse path', () => {
    const scanner = new FastFrameScanner(lookupBtc);
    fc.assert(
      fc.property(mutated, (frame) => {
        const slow = parseSlow(frame, lookupBtc, T0);
        const fast = scanner.parse(frame, T0);
        if (fast !== undefined) expect(plain(fast)).toEqual(plain(slow));
        expect(plain(parse(frame))).toEqual(plain(slow));
      }),
      { numRuns: 5000 },
    );
  });

  it('parseDecimalSlice agrees with core parseDecimalRaw on every plain decimal it accepts', () => {
    const dec = fc.tuple(fc.boolean(), fc.stringMatching(/^\d{0,17}$/), fc.option(fc.stringMatching(/^\d{0,14}$/)), fc.nat({ max: 12 }));
    fc.assert(
      fc.property(dec, ([neg, int, frac, p]) => {
        const s = `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}`;
        const fast = parseDecimalSlice(s, 0, s.length, p);
        let ref: number;
        try {
          ref = parseDecimalRaw(s, p);
        } catch {
          ref = Number.NaN;
        }
        expect(fast).toBe(ref);
      }),
      { numRuns: 3000 },
    );
    expect(parseDecimalSlice('1.5', 0, 3, 13)).toBeNaN();
    expect(parseDecimalSlice('xx12.50yy', 2, 7, 3)).toBe(12_500);
  });
});
