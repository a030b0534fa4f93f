import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AccountId,
  ClientOrderId,
  Currency,
  InstrumentId,
  InstrumentSymbol,
  PositionId,
  StrategyId,
  TradeId,
  TraderId,
  Venue,
  VenueOrderId,
} from './identifiers.js';
import { ParseError } from './errors.js';

function errorOf(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

describe('InstrumentId', () => {
  it('parses SYMBOL.VENUE and splits at the last dot', () => {
    const id = InstrumentId.parse('BTCUSDT.BINANCE');
    expect(id).toBe('BTCUSDT.BINANCE');
    expect(InstrumentId.symbol(id)).toBe('BTCUSDT');
    expect(InstrumentId.venue(id)).toBe('BINANCE');
    const brk = InstrumentId.parse('BRK.B.NYSE');
    expect(InstrumentId.symbol(brk)).toBe('BRK.B');
    expect(InstrumentId.venue(brk)).toBe('NYSE');
    expect(InstrumentId.of('ETH/USDT', 'COINBASE')).toBe('ETH/USDT.COINBASE');
    expect(InstrumentId.parse('ES-PERP.DYDX_V4')).toBe('ES-PERP.DYDX_V4');
  });

  it.each(['', 'BTCUSDT', '.BINANCE', 'BTCUSDT.', 'BTCUSDT.binance', 'BTC USDT.BINANCE', ' BTCUSDT.BINANCE', 'BTCUSDT.BIN ANCE', '-X.BINANCE'])(
    'rejects %j naming the field',
    (s) => {
      const e = errorOf(() => InstrumentId.parse(s));
      expect(e.field).toBe('InstrumentId');
      expect(e.message).toContain(JSON.stringify(s));
    },
  );

  it('rejects non-strings', () => {
    expect(errorOf(() => InstrumentId.parse(42 as unknown as string)).field).toBe('InstrumentId');
    expect(errorOf(() => Venue.parse(null as unknown as string)).field).toBe('Venue');
  });

  it('of(symbol(id), venue(id)) is id (property)', () => {
    const sym = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_\-/:^.]{0,20}$/);
    const venue = fc.stringMatching(/^[A-Z][A-Z0-9_-]{0,10}$/);
    fc.assert(
      fc.property(sym, venue, (s, v) => {
        const id = InstrumentId.of(s, v);
        expect(InstrumentId.symbol(id)).toBe(s);
        expect(InstrumentId.venue(id)).toBe(v);
        expect(InstrumentId.parse(`${InstrumentId.symbol(id)}.${InstrumentId.venue(id)}`)).toBe(id);
      }),
    );
  });
});

describe('other identifiers', () => {
  it('accept well-formed ids', () => {
    expect(Venue.parse('BINANCE')).toBe('BINANCE');
    expect(InstrumentSymbol.parse('BTC-USD')).toBe('BTC-USD');
    expect(ClientOrderId.parse('O-20240101-001')).toBe('O-20240101-001');
    expect(VenueOrderId.parse('1234567890')).toBe('1234567890');
    expect(TradeId.parse('abc.123')).toBe('abc.123');
    expect(StrategyId.parse('EMACross-001')).toBe('EMACross-001');
    expect(TraderId.parse('TRADER-001')).toBe('TRADER-001');
    expect(AccountId.parse('BINANCE-001')).toBe('BINANCE-001');
    expect(PositionId.parse('P-1')).toBe('P-1');
    expect(Currency.parse('USDT')).toBe('USDT');
    expect(Currency.parse('1INCH')).toBe('1INCH');
  });

  it.each([
    [ClientOrderId, 'ClientOrderId', ''],
    [ClientOrderId, 'ClientOrderId', '-leading-dash'],
    [ClientOrderId, 'ClientOrderId', 'has space'],
    [ClientOrderId, 'ClientOrderId', 'x'.repeat(129)],
    [TradeId, 'TradeId', 'a\nb'],
    [VenueOrderId, 'VenueOrderId', ''],
    [Currency, 'Currency', 'usd'],
    [Currency, 'Currency', ''],
    [Currency, 'Currency', 'TOOLONGCURRENCY12'],
    [Venue, 'Venue', '1BINANCE'],
    [InstrumentSymbol, 'InstrumentSymbol', ''],
  ] as const)('%# rejects %j', (parser, field, s) => {
    const e = errorOf(() => parser.parse(s));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(new RegExp(`^${field}: malformed ${field}`));
  });
});
