import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AggressorSide, InstrumentId, Price, Quantity, TradeId, UnixMicros } from '../../core/index.js';
import type { TradeTick } from '../../core/index.js';
import { TradeCopyEncoder, escapeCopy } from './copy-encoder.js';

/** The obvious way, through the domain types' own formatting: the reference the encoder must equal. */
function naive(trades: readonly TradeTick[]): string {
  const side = { BUYER: 'B', SELLER: 'S', NONE: 'N' } as const;
  return trades
    .map((t) => [escapeCopy(t.instrumentId), t.tsEvent, escapeCopy(t.tradeId), t.price.toString(), t.size.toString(), side[t.aggressorSide], t.tsInit].join('\t') + '\n')
    .join('');
}

const trade = fc.record({
  inst: fc.constantFrom('BTCUSDT.BINANCE', 'ETH-USD.COINBASE', 'X:BTCUSD.POLYGON'),
  ts: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  id: fc.oneof(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_\-.:/]{0,20}$/), fc.string({ maxLength: 8 }).map((s) => `x${s}`)),
  price: fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
  pp: fc.integer({ min: 0, max: 12 }),
  size: fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  sp: fc.integer({ min: 0, max: 12 }),
  side: fc.constantFrom(AggressorSide.Buyer, AggressorSide.Seller, AggressorSide.None),
});

describe('TradeCopyEncoder', () => {
  it('writes exactly what formatting each value through Price/Quantity gives', () => {
    const enc = new TradeCopyEncoder();
    fc.assert(
      fc.property(fc.array(trade, { maxLength: 30 }), (rows) => {
        const trades: TradeTick[] = rows.map((r) => ({
          type: 'trade',
          instrumentId: InstrumentId.parse(r.inst),
          price: Price.fromRaw(r.price, r.pp),
          size: Quantity.fromRaw(r.size, r.sp),
          aggressorSide: r.side,
          // ids with tabs, backslashes or non-ASCII must come out escaped and UTF-8 encoded
          tradeId: r.id as TradeId,
          tsEvent: UnixMicros.of(r.ts),
          tsInit: UnixMicros.of(r.ts),
        }));
        expect(enc.encode(trades).toString('utf8')).toBe(naive(trades));
      }),
      { numRuns: 300 },
    );
  });

  it('grows its buffer for large batches and returns a copy that later encodes do not touch', () => {
    const enc = new TradeCopyEncoder();
    const many: TradeTick[] = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'trade',
      instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'),
      price: Price.fromRaw(5, 2),
      size: Quantity.fromRaw(i, 3),
      aggressorSide: AggressorSide.None,
      tradeId: TradeId.parse(`id-${i}-${'z'.repeat(40)}`),
      tsEvent: UnixMicros.of(i),
      tsInit: UnixMicros.of(i),
    }));
    const a = enc.encode(many);
    const text = a.toString();
    enc.encode(many.slice(0, 3).map((t) => ({ ...t, tradeId: TradeId.parse('other') })));
    expect(a.toString()).toBe(text);
    expect(text).toBe(naive(many));
    expect(text.startsWith('BTCUSDT.BINANCE\t0\tid-0-')).toBe(true);
    expect(text.split('\n')[0].split('\t')[3]).toBe('0.05');
  });

  it('escapes COPY specials and encodes non-ASCII ids as UTF-8', () => {
    const t: TradeTick = {
      type: 'trade',
      instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'),
      price: Price.fromRaw(-1234, 3),
      size: Quantity.fromRaw(7, 0),
      aggressorSide: AggressorSide.Seller,
      tradeId: 'a\tb\\c\nd\re-é€' as TradeId,
      tsEvent: UnixMicros.of(1),
      tsInit: UnixMicros.of(2),
    };
    const bytes = new TradeCopyEncoder().encode([t]);
    expect(bytes.toString('utf8')).toBe('BTCUSDT.BINANCE\t1\ta\\tb\\\\c\\nd\\re-é€\t-1.234\t7\tS\t2\n');
    expect(bytes.toString('utf8')).toBe(naive([t]));
  });
});
