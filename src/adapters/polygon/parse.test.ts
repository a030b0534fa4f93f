import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnixMicros } from '../../core/time.js';
import { parsePolygonFrame, polygonTimeToMicros } from './parse.js';

const tsInit = UnixMicros.of(1_700_000_000_000_000);

describe('Polygon frames', () => {
  it('parses a frame of stock trades, quotes and minute aggregates', () => {
    const frame = JSON.stringify([
      { ev: 'T', sym: 'MSFT', x: 4, i: '12345', z: 3, p: 114.125, s: 100, c: [0, 12], t: 1536036818784, q: 3681328 },
      { ev: 'Q', sym: 'MSFT', bx: 4, bp: 114.125, bs: 100, ax: 7, ap: 114.128, as: 160, c: 0, t: 1536036818784, q: 50385480, z: 3 },
      { ev: 'AM', sym: 'GTE', v: 4110, av: 9470157, op: 0.4372, vw: 0.4488, o: 0.4488, c: 0.4486, h: 0.4489, l: 0.4486, a: 0.4352, z: 685, s: 1610144640000, e: 1610144700000 },
    ]);
    const { events, rejections } = parsePolygonFrame(frame, tsInit);
    expect(rejections).toEqual([]);
    const [trade, quote, bar] = events;
    expect(trade).toMatchObject({ type: 'trade', instrumentId: 'MSFT.POLYGON', tradeId: '4-12345', aggressorSide: 'NONE', tsEvent: 1536036818784000, tsInit });
    expect(trade.type === 'trade' && trade.price.toString()).toBe('114.125');
    expect(quote.type === 'quote' && [quote.bidPrice.toString(), quote.askPrice.toString(), quote.askSize.toString()]).toEqual(['114.125', '114.128', '160']);
    expect(bar).toMatchObject({ type: 'bar', instrumentId: 'GTE.POLYGON', tsOpen: 1610144640000000, tsEvent: 1610144700000000, spec: { step: 1, unit: 'minute' } });
    expect(bar.type === 'bar' && bar.volume.toString()).toBe('4110');
  });

  it('parses crypto trades, quotes, aggregates and level-2 books', () => {
    const frame = JSON.stringify([
      { ev: 'XT', pair: 'BTC-USD', p: 33021.9, t: 1610462007425, s: 0.01616617, c: [2], i: 14272084, x: 3, r: 1610462007576 },
      { ev: 'XQ', pair: 'BTC-USD', bp: 33052.79, bs: 0.48, ap: 33073.19, as: 0.601, t: 1610462411115, x: 1, r: 1610462411128 },
      { ev: 'XL2', pair: 'BTC-USD', t: 1610462411115, r: 1610462411128, x: 1, b: [[33712.71, 0.18635], [33712.7, 0.134]], a: [[33718.23, 3.5527483]] },
      { ev: 'XAS', pair: 'BCD-USD', v: 951.6112, vw: 0.7756, z: 73, o: 0.772, c: 0.784, h: 0.784, l: 0.771, s: 1610463240000, e: 1610463241000 },
    ]);
    const { events, rejections } = parsePolygonFrame(frame, tsInit);
    expect(rejections).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['trade', 'quote', 'book_snapshot', 'bar']);
    const book = events[2];
    expect(book.type === 'book_snapshot' && book.bids.map(([p, q]) => `${p}@${q}`)).toEqual(['33712.71@0.18635', '33712.7@0.134']);
    expect(events[0].type === 'trade' && events[0].size.toString()).toBe('0.01616617');
  });

  it('reads status messages and skips channels it does not use', () => {
    const { events, rejections } = parsePolygonFrame('[{"ev":"status","status":"auth_success","message":"authenticated"},{"ev":"LULD","T":"MSFT","h":218.96,"l":198.11,"t":1601316752683746}]', tsInit);
    expect(rejections).toEqual([]);
    expect(events).toEqual([{ type: 'status', status: 'auth_success', message: 'authenticated' }]);
  });

  it('rejects bad elements with the shared reason codes, names the field, and keeps the rest of the frame', () => {
    const frame = JSON.stringify([
      { ev: 'T', sym: 'MSFT', x: 4, i: '1', p: -1, s: 100, t: 1536036818784 },
      { ev: 'T', sym: 'MSFT', x: 4, i: '2', p: 10, s: 0, t: 1536036818784 },
      { ev: 'T', sym: 'MSFT', x: 4, p: 10, s: 1, t: 1536036818784 },
      { ev: 'XT', pair: 'BTC-USD', p: 1, s: 1, i: 9, t: 'soon' },
      { ev: 'AM', sym: 'X', o: 2, h: 1, l: 1, c: 1, v: 1, s: 1610144640000 },
      { sym: 'no type' },
      42,
      { ev: 'Q', sym: 'MSFT', bp: 'x', bs: 1, ap: 2, as: 1, t: 1536036818784 },
      { ev: 'Q', sym: 'MSFT', bp: 1, bs: -1, ap: 2, as: 1, t: 1536036818784 },
      { ev: 'Q', sym: 'MSFT', bp: 1, bs: 1, ap: 2, as: 'many', t: 1536036818784 },
      { ev: 'Q', bp: 1, bs: 1, ap: 2, as: 1, t: 1536036818784 },
      { ev: 'XQ', pair: 7, bp: 1, bs: 1, ap: 2, as: 1, t: 1536036818784 },
      { ev: 'XL2', pair: 'BTC-USD', b: [[1, 1]], a: [[2]], t: 1536036818784 },
      { ev: 'XL2', pair: 'BTC-USD', b: [[1, 1]], a: [[2, 1]] },
      { ev: 'T', sym: 'MSFT', x: 4, i: '3', p: 10.5, s: 1, t: 1536036818784 },
    ]);
    const { events, rejections } = parsePolygonFrame(frame, tsInit);
    expect(events).toHaveLength(1);
    expect(rejections.map(({ reason, field, ev }) => [reason, field, ev])).toEqual([
      ['negative_price', 'p', 'T'],
      ['bad_size', 's', 'T'],
      ['missing_field', 'i', 'T'],
      ['bad_field', 't', 'XT'],
      ['bad_price', 'h', 'AM'],
      ['missing_field', 'ev', undefined],
      ['not_object', undefined, undefined],
      ['bad_price', 'bp', 'Q'],
      ['negative_size', 'bs', 'Q'],
      ['bad_size', 'as', 'Q'],
      ['missing_field', 'sym', 'Q'],
      ['bad_field', 'pair', 'XQ'],
      ['bad_field', 'a[0]', 'XL2'],
      ['missing_field', 't', 'XL2'],
    ]);
    // The reason is a code; what was wrong is in the detail.
    expect(rejections[0].detail).toMatch(/expected a positive number, got -1/);
    expect(parsePolygonFrame('{oops', tsInit).rejections).toEqual([{ reason: 'invalid_json', field: undefined, detail: 'invalid JSON' }]);
  });

  it('rejects a number no Price can hold as a bad price, not as an unexpected error', () => {
    const { rejections } = parsePolygonFrame('[{"ev":"T","sym":"MSFT","i":"1","p":1e-20,"s":1,"t":1536036818784}]', tsInit);
    expect(rejections).toEqual([{ reason: 'bad_price', field: 'p', detail: expect.any(String), ev: 'T' }]);
  });

  it('tells the time unit by magnitude and keeps nanoseconds exact', () => {
    expect(polygonTimeToMicros(1536036818784, 't')).toBe(1536036818784000);
    expect(polygonTimeToMicros(1601316752683746, 't')).toBe(1601316752683746);
    expect(polygonTimeToMicros(1610462007, 't')).toBe(1610462007000000);
    const { events } = parsePolygonFrame('[{"ev":"XT","pair":"BTC-USD","p":1,"s":1,"i":9,"t":1601318039223013999}]', tsInit);
    expect(events[0].type === 'trade' && events[0].tsEvent).toBe(1601318039223013);
  });

  it('never throws, whatever the bytes', () => {
    const valid = '[{"ev":"T","sym":"MSFT","x":4,"i":"1","p":114.125,"s":100,"t":1536036818784}]';
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.tuple(fc.nat(valid.length), fc.string()).map(([i, s]) => valid.slice(0, i) + s + valid.slice(i))), (text) => {
        const r = parsePolygonFrame(text, tsInit);
        expect(Array.isArray(r.events) && Array.isArray(r.rejections)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
