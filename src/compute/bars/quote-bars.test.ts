import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { MICROS_PER_MINUTE as M } from '../../core/time.js';
import { QuoteBarAggregator } from './quote-bars.js';
import { XRPETH, quote, show } from './testing/trades.js';

function agg(spec: string, emitFlat = false) {
  const bars: Bar[] = [];
  const a = new QuoteBarAggregator({ instrumentId: XRPETH, spec: BarSpec.parse(spec), pricePrecision: 2, sizePrecision: 0, onBar: (b) => bars.push(b), emitFlat });
  return { a, bars };
}

describe('QuoteBarAggregator', () => {
  const quotes = [quote(1, '1.01', '1.02', '10', '3'), quote(2, '1.00', '1.04', '5', '6'), quote(M, '1.03', '1.04', '1', '1')];

  it('builds bid and ask bars with the quoted size as volume and no trade count', () => {
    const bid = agg('1m-bid');
    const ask = agg('1m-ask');
    for (const q of quotes) {
      bid.a.handleQuote(q);
      ask.a.handleQuote(q);
    }
    expect(bid.bars.map(show)).toEqual([{ t: 0, end: M, o: '1.01', h: '1.01', l: '1.00', c: '1.00', v: '15', n: 0 }]);
    expect(ask.bars.map(show)).toEqual([{ t: 0, end: M, o: '1.02', h: '1.04', l: '1.02', c: '1.04', v: '9', n: 0 }]);
  });

  it('prices mid bars exactly with one more decimal', () => {
    const { a, bars } = agg('1m-mid');
    for (const q of quotes) a.handleQuote(q);
    a.flush();
    expect(bars.map(show)).toEqual([
      { t: 0, end: M, o: '1.015', h: '1.020', l: '1.015', c: '1.020', v: '12.0', n: 0 },
      { t: M, end: 2 * M, o: '1.035', h: '1.035', l: '1.035', c: '1.035', v: '1.0', n: 0 },
    ]);
  });

  it('closes on the clock, counts late quotes and fills gaps with flat bars when asked', () => {
    const { a, bars } = agg('1m-bid', true);
    a.handleQuote(quotes[0]);
    a.onTime(3 * M);
    a.handleQuote(quote(5, '2.00', '2.01', '1', '1'));
    expect(a.lateQuotes).toBe(1);
    expect(bars.map((b) => [b.tsOpen, b.close.toString(), b.volume.toString()])).toEqual([
      [0, '1.01', '10'],
      [M, '1.01', '0'],
      [2 * M, '1.01', '0'],
    ]);
  });

  it('refuses trade-priced and non-time specs', () => {
    expect(() => agg('1m')).toThrow(/bid, ask or mid/);
    expect(() => agg('10tick-bid')).toThrow(/not a time bar/);
  });
});
