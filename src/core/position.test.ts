import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidFillError, Position, PositionSide } from './position.js';
import { Fill } from './fill.js';
import { Instrument } from './instrument.js';
import type { InstrumentSpec } from './instrument.js';
import { AccountId, ClientOrderId, Currency, InstrumentId, PositionId, StrategyId, TradeId, TraderId, VenueOrderId } from './identifiers.js';
import { Money } from './money.js';
import { Price, Quantity } from './price.js';
import { UnixMicros } from './time.js';
import { LiquiditySide, OrderSide } from './order/enums.js';
import type { OrderFilled } from './order/events.js';
import { RoundingMode } from './decimal.js';

const USDT = Currency.parse('USDT');
const BNB = Currency.parse('BNB');
const spec: InstrumentSpec = {
  id: 'BTCUSDT.BINANCE',
  kind: 'spot',
  baseCurrency: 'BTC',
  quoteCurrency: 'USDT',
  pricePrecision: 2,
  sizePrecision: 3,
  tickSize: '0.01',
  lotSize: '0.001',
  settlementPrecision: 8,
};
const spot = Instrument.create(spec);
const perp = Instrument.create({ ...spec, id: 'ETHUSD-PERP.DERIBIT', kind: 'perpetual', quoteCurrency: 'USD', pricePrecision: 1, tickSize: '0.1', multiplier: '0.1', settlementPrecision: 2 });

let n = 0;
function mkFill(side: OrderSide, qty: string, price: string, over: Partial<Fill> = {}, instrument: Instrument = spot): Fill {
  n += 1;
  return {
    tradeId: TradeId.parse(`T-${n}`),
    clientOrderId: ClientOrderId.parse(`O-${n}`),
    venueOrderId: VenueOrderId.parse(`V-${n}`),
    instrumentId: instrument.id,
    strategyId: StrategyId.parse('S-1'),
    accountId: AccountId.parse('A-1'),
    side,
    price: Price.parse(price),
    quantity: Quantity.parse(qty),
    commission: Money.zero(instrument.settlementCurrency, 2),
    liquiditySide: LiquiditySide.Taker,
    tsEvent: UnixMicros.of(n * 1000),
    tsInit: UnixMicros.of(n * 1000 + 1),
    ...over,
  };
}
const buy = (q: string, p: string, over: Partial<Fill> = {}) => mkFill(OrderSide.Buy, q, p, over);
const sell = (q: string, p: string, over: Partial<Fill> = {}) => mkFill(OrderSide.Sell, q, p, over);
const money = (m: Money) => m.toDecimalString().replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

describe('Position', () => {
  it('starts flat', () => {
    const p = new Position(spot, PositionId.parse('P-1'));
    expect(p.side).toBe(PositionSide.Flat);
    expect(p.isFlat).toBe(true);
    expect(p.quantity.isZero()).toBe(true);
    expect(p.avgPxOpen()).toBeUndefined();
    expect(p.realizedPnl().isZero()).toBe(true);
    expect(p.unrealizedPnl(Price.parse('100')).isZero()).toBe(true);
    expect(p.id).toBe('P-1');
    expect(p.tsOpened).toBeUndefined();
  });

  it('opens, adds, reduces and closes a long with exact P&L', () => {
    const p = new Position(spot);
    p.apply(buy('1', '100'));
    p.apply(buy('1', '101'));
    expect(p.side).toBe(PositionSide.Long);
    expect(p.isLong && !p.isShort).toBe(true);
    expect(p.quantity.toString()).toBe('2.000');
    expect(p.avgPxOpen()?.toString()).toBe('100.500000');
    expect(money(p.unrealizedPnl(Price.parse('102')))).toBe('3');
    expect(p.apply(sell('0.5', '110'))).toBe(true);
    // 0.5 * (110 - 100.5) = 4.75
    expect(money(p.realizedPnl())).toBe('4.75');
    expect(p.quantity.toString()).toBe('1.500');
    expect(p.avgPxOpen()?.toString()).toBe('100.500000');
    p.apply(sell('1.5', '99'));
    // 1.5 * (99 - 100.5) = -2.25 -> total 2.5
    expect(money(p.realizedPnl())).toBe('2.5');
    expect(p.isFlat).toBe(true);
    expect(p.tsClosed).toBeDefined();
    expect(p.costBasis().isZero()).toBe(true);
    expect(p.totalBought.toString()).toBe('2.000');
    expect(p.totalSold.toString()).toBe('2.000');
    expect(p.fills).toHaveLength(4);
  });

  it('handles a short and a flip through zero', () => {
    const p = new Position(spot);
    p.apply(sell('2', '100'));
    expect(p.side).toBe(PositionSide.Short);
    expect(p.signedQty()).toBe(-2);
    expect(p.isShort && !p.isLong && !p.isFlat).toBe(true);
    expect(p.signedQtyRaw).toBe(-2000n);
    expect(money(p.unrealizedPnl(Price.parse('90')))).toBe('20');
    const flip = buy('3', '95');
    p.apply(flip);
    // Closes 2 short at 95: +10; opens 1 long at 95.
    expect(money(p.realizedPnl())).toBe('10');
    expect(p.side).toBe(PositionSide.Long);
    expect(p.quantity.toString()).toBe('1.000');
    expect(p.avgPxOpen(2)?.toString()).toBe('95.00');
    expect(p.tsOpened).toBe(flip.tsEvent);
    expect(money(p.unrealizedPnl(Price.parse('96.5')))).toBe('1.5');
    expect(money(p.totalPnl(Price.parse('96.5')))).toBe('11.5');
  });

  it('subtracts commissions in the settlement currency and keeps others apart', () => {
    const p = new Position(spot);
    p.apply(buy('1', '100', { commission: Money.parse('0.1', USDT) }));
    p.apply(sell('1', '101', { commission: Money.parse('0.0005', BNB) }));
    expect(money(p.realizedPnl())).toBe('0.9');
    expect(p.commissions().map(String).sort()).toEqual(['0.0005 BNB', '0.1 USDT']);
  });

  it('applies the contract multiplier', () => {
    const p = new Position(perp);
    p.apply(mkFill(OrderSide.Buy, '10', '2000.5', {}, perp));
    p.apply(mkFill(OrderSide.Sell, '10', '2010.0', {}, perp));
    // 10 contracts * 0.1 * (2010 - 2000.5) = 9.5
    expect(money(p.realizedPnl())).toBe('9.5');
    expect(p.realizedPnl().currency).toBe('USD');
  });

  it('ignores a duplicate trade and refuses fills that cannot belong here', () => {
    const p = new Position(spot);
    const f = buy('1', '100');
    expect(p.apply(f)).toBe(true);
    expect(p.apply(f)).toBe(false);
    expect(p.hasTrade(f.tradeId)).toBe(true);
    expect(p.quantity.toString()).toBe('1.000');
    expect(() => p.apply(buy('1', '100', { instrumentId: InstrumentId.parse('ETHUSDT.BINANCE') }))).toThrow(InvalidFillError);
    expect(() => p.apply(buy('1', '100.001'))).toThrow(/decimals/);
    // Trailing zeros beyond the instrument's precision are fine (venues send "100.10000000").
    expect(p.apply(buy('1.00000000', '100.10000000'))).toBe(true);
    expect(p.avgPxOpen(2)?.toString()).toBe('100.05');
    expect(() => p.apply(buy('0.0001', '100'))).toThrow(InvalidFillError);
    expect(() => p.apply(buy('0', '100'))).toThrow(InvalidFillError);
    expect(() => p.apply(buy('1', '100', { side: 'HOLD' as OrderSide }))).toThrow(InvalidFillError);
  });

  it('rounds a partial close half-even and realizes the remainder at flat', () => {
    const p = new Position(spot);
    p.apply(buy('0.003', '100.01'));
    p.apply(buy('0.003', '100.02'));
    // cost 0.60009 for 0.006; closing 0.001 takes 0.100015 -> 0.10002 at 5 decimals (half-even)
    p.apply(sell('0.001', '100.00'));
    expect(p.realizedPnl().toDecimalString()).toBe('-0.00002000');
    p.apply(sell('0.005', '100.00'));
    // Round trip: 0.6 - 0.60009 = -0.00009 exactly.
    expect(p.realizedPnl().toDecimalString()).toBe('-0.00009000');
  });

  it('Fill.fromEvent carries the event fields', () => {
    const e: OrderFilled = {
      type: 'OrderFilled',
      eventId: 'E-1',
      traderId: 'T' as never,
      strategyId: StrategyId.parse('S-1'),
      instrumentId: spot.id,
      clientOrderId: ClientOrderId.parse('O-1'),
      venueOrderId: VenueOrderId.parse('V-1'),
      accountId: AccountId.parse('A-1'),
      tradeId: TradeId.parse('T-1'),
      positionId: PositionId.parse('P-1'),
      orderSide: OrderSide.Sell,
      orderType: 'LIMIT',
      lastQty: Quantity.parse('1.5'),
      lastPx: Price.parse('100.25'),
      commission: Money.parse('0.01', USDT),
      liquiditySide: LiquiditySide.Maker,
      tsEvent: UnixMicros.of(5),
      tsInit: UnixMicros.of(6),
    };
    const f = Fill.fromEvent(e);
    expect(f).toMatchObject({ side: 'SELL', tradeId: 'T-1', positionId: 'P-1', liquiditySide: 'MAKER', tsEvent: 5, tsInit: 6 });
    expect(f.price.toString()).toBe('100.25');
    expect(f.quantity.toString()).toBe('1.5');
    expect(Object.isFrozen(f)).toBe(true);
    const { positionId: _p, ...rest } = e;
    expect(Fill.fromEvent(rest).positionId).toBeUndefined();
  });
});

describe('position events', () => {
  const ids = { eventId: 'PE-1', traderId: TraderId.parse('TRADER-1'), tsInit: UnixMicros.of(99) };

  it('reports opened, changed, flipped and closed', () => {
    const p = new Position(spot, PositionId.parse('P-1'));
    expect(() => p.eventForLastFill(ids)).toThrow(/no fill/);
    const f1 = buy('1', '100');
    p.apply(f1);
    expect(p.lastChange).toBe('OPENED');
    const opened = p.eventForLastFill(ids);
    expect(opened).toMatchObject({ type: 'PositionOpened', side: 'LONG', previousSide: 'FLAT', signedQty: '1.000', positionId: 'P-1', lastTradeId: f1.tradeId, tsOpened: f1.tsEvent, tsEvent: f1.tsEvent, tsInit: 99, eventId: 'PE-1', traderId: 'TRADER-1', strategyId: 'S-1', accountId: 'A-1' });
    expect(opened.type === 'PositionOpened' && opened.avgPxOpen.toString()).toBe('100.000000');
    expect(Object.isFrozen(opened)).toBe(true);

    p.apply(buy('1', '102'));
    expect(p.eventForLastFill(ids)).toMatchObject({ type: 'PositionChanged', side: 'LONG', previousSide: 'LONG', signedQty: '2.000' });

    const flip = sell('3', '103');
    p.apply(flip);
    expect(p.lastChange).toBe('FLIPPED');
    const flipped = p.eventForLastFill(ids);
    expect(flipped).toMatchObject({ type: 'PositionChanged', side: 'SHORT', previousSide: 'LONG', signedQty: '-1.000', tsOpened: flip.tsEvent });
    expect(money(flipped.realizedPnl)).toBe('4');

    const close = buy('1', '100');
    p.apply(close);
    const closed = p.eventForLastFill(ids);
    expect(closed).toMatchObject({ type: 'PositionClosed', side: 'FLAT', previousSide: 'SHORT', signedQty: '0.000', tsOpened: flip.tsEvent, tsClosed: close.tsEvent });
    expect(money(closed.realizedPnl)).toBe('7');
    expect(p.lastChange).toBe('CLOSED');
    expect(new Position(spot).apply(buy('1', '1'))).toBe(true);
    const anon = new Position(spot);
    anon.apply(buy('1', '1'));
    expect(anon.eventForLastFill(ids)).not.toHaveProperty('positionId');
  });
});

describe('Position properties', () => {
  /** Signed fill sizes (lots of 0.001) and prices (cents), with commissions in cents. */
  const stepArb = fc.record({
    q: fc.integer({ min: -5000, max: 5000 }).filter((x) => x !== 0),
    p: fc.integer({ min: 1, max: 10_000_000 }),
    c: fc.integer({ min: -50, max: 500 }),
  });

  function fillOf(s: { q: number; p: number; c: number }, inst: Instrument): Fill {
    return mkFill(s.q > 0 ? OrderSide.Buy : OrderSide.Sell, '1', '1', {
      quantity: Quantity.fromRaw(Math.abs(s.q), inst.sizePrecision),
      price: Price.fromRaw(s.p, inst.pricePrecision),
      commission: Money.of(BigInt(s.c), inst.settlementCurrency, 2),
    }, inst);
  }

  it('a round trip to flat realizes sells - buys - commissions exactly (property)', () => {
    for (const inst of [spot, perp]) {
      fc.assert(
        fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 10_000_000 }), (steps, closePx) => {
          const pos = new Position(inst);
          const all = [...steps];
          const net = steps.reduce((s, x) => s + x.q, 0);
          if (net !== 0) all.push({ q: -net, p: closePx, c: 7 });
          // Independent reference: cash flows in units of 10^-(price + size + multiplier decimals).
          const mult = BigInt(inst.multiplier.raw);
          let cash = 0n;
          let commissions = 0n; // cents
          for (const s of all) {
            expect(pos.apply(fillOf(s, inst))).toBe(true);
            cash += -BigInt(s.q) * BigInt(s.p) * mult;
            commissions += BigInt(s.c);
          }
          expect(pos.isFlat).toBe(true);
          const scale = inst.pricePrecision + inst.sizePrecision + inst.multiplier.precision;
          const expected = Money.of(cash, inst.settlementCurrency, scale).sub(Money.of(commissions, inst.settlementCurrency, 2));
          expect(pos.realizedPnl().eq(expected)).toBe(true);
          expect(pos.costBasis().isZero()).toBe(true);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('realized + unrealized = cash + signed qty * mark - commissions at every step (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 10_000_000 }), (steps, markRaw) => {
        const inst = perp;
        const pos = new Position(inst);
        const mark = Price.fromRaw(markRaw, inst.pricePrecision);
        const mult = BigInt(inst.multiplier.raw);
        const scale = inst.pricePrecision + inst.sizePrecision + inst.multiplier.precision;
        let cash = 0n;
        let qty = 0n;
        let commissions = 0n;
        for (const s of steps) {
          pos.apply(fillOf(s, inst));
          cash += -BigInt(s.q) * BigInt(s.p) * mult;
          qty += BigInt(s.q);
          commissions += BigInt(s.c);
          const expected = Money.of(cash + qty * BigInt(markRaw) * mult, inst.settlementCurrency, scale).sub(Money.of(commissions, inst.settlementCurrency, 2));
          expect(pos.totalPnl(mark).eq(expected)).toBe(true);
          expect(pos.signedQtyRaw).toBe(qty);
          expect(pos.side).toBe(qty === 0n ? 'FLAT' : qty > 0n ? 'LONG' : 'SHORT');
          if (qty !== 0n) {
            // floor(avg, 8 dp) * qty * mult <= cost basis < (floor + 1e-8) * qty * mult, in integers:
            // A * |q| * m * 10^pp <= cost * 10^8 < (A + 1) * |q| * m * 10^pp.
            const A = BigInt((pos.avgPxOpen(8, RoundingMode.Floor) as Price).raw);
            const cost = pos.costBasis().raw * 10n ** 8n;
            const absQ = qty < 0n ? -qty : qty;
            const unit = absQ * mult * 10n ** BigInt(inst.pricePrecision);
            expect(A * unit <= cost && cost < (A + 1n) * unit).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
