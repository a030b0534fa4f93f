import { describe, expect, it } from 'vitest';
import { InstrumentId } from '../../core/identifiers.js';
import { parsePolygonAggs, polygonInterval } from './polygon-aggs.js';

const id = InstrumentId.parse('AAPL.XNAS');

describe('Polygon aggregates', () => {
  it('turns results into exact bars with the interval from the request', () => {
    const body = {
      ticker: 'AAPL',
      status: 'OK',
      adjusted: true,
      results: [
        { v: 31_200_000, vw: 42.1, o: 42.16, c: 42.02, h: 42.6, l: 41.76, t: 1112331600000, n: 1 },
        { v: 12.5, o: 0.1, c: 0.3, h: 0.3, l: 0.1, t: 1112418000000 },
      ],
    };
    const { events, rejected } = parsePolygonAggs(body, { instrumentId: id, interval: polygonInterval(1, 'day') });
    expect(rejected).toEqual([]);
    expect(events[0].open.toString()).toBe('42.16');
    expect(events[0].high.toString()).toBe('42.6');
    expect(events[0].volume.toString()).toBe('31200000');
    expect(events[0].tsOpen).toBe(1112331600000000);
    expect(events[0].tsEvent - events[0].tsOpen).toBe(86_400_000_000);
    expect(events[1].tradeCount).toBe(0);
    expect(events[1].close.toString()).toBe('0.3');
  });

  it('counts bad results and refuses a failed response', () => {
    const body = { status: 'OK', results: [{ o: 1, h: 1, l: 1, c: 1, v: 1 }, { o: 'x', h: 1, l: 1, c: 1, v: 1, t: 1 }, null, { o: 2, h: 1, l: 1, c: 1, v: 1, t: 1 }] };
    const { events, rejected } = parsePolygonAggs(body, { instrumentId: id, interval: '1m' });
    expect(events).toHaveLength(0);
    expect(rejected.map((r) => r.line)).toEqual([1, 2, 3, 4]);
    expect(rejected[0].reason).toMatch(/^t:/);
    expect(() => parsePolygonAggs({ status: 'ERROR' }, { instrumentId: id, interval: '1m' })).toThrow(/status/);
    expect(() => parsePolygonAggs({ results: {} }, { instrumentId: id, interval: '1m' })).toThrow(/array/);
    expect(() => parsePolygonAggs('x', { instrumentId: id, interval: '1m' })).toThrow(/object/);
    expect(() => polygonInterval(1, 'week')).toThrow(/timespan/);
  });
});
