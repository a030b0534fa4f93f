import { ParseError } from './errors.js';

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Venue = Brand<string, 'Venue'>;
export type InstrumentSymbol = Brand<string, 'Symbol'>;
/** `SYMBOL.VENUE`, e.g. `BTCUSDT.BINANCE`. The venue is the part after the last dot. */
export type InstrumentId = Brand<string, 'InstrumentId'>;
export type ClientOrderId = Brand<string, 'ClientOrderId'>;
export type VenueOrderId = Brand<string, 'VenueOrderId'>;
export type TradeId = Brand<string, 'TradeId'>;
export type StrategyId = Brand<string, 'StrategyId'>;
export type TraderId = Brand<string, 'TraderId'>;
export type AccountId = Brand<string, 'AccountId'>;
export type PositionId = Brand<string, 'PositionId'>;
export type Currency = Brand<string, 'Currency'>;

const VENUE_RE = /^[A-Z][A-Z0-9_-]{0,31}$/;
const SYMBOL_RE = /^[A-Za-z0-9][A-Za-z0-9_\-/:^.]{0,63}$/;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_\-.:/]{0,127}$/;
const CURRENCY_RE = /^[A-Z0-9]{1,16}$/;

function check(re: RegExp, what: string, s: unknown): string {
  if (typeof s !== 'string' || !re.test(s)) throw new ParseError(`malformed ${what}: ${JSON.stringify(s)}`, what);
  return s;
}

export const Venue = {
  parse: (s: string): Venue => check(VENUE_RE, 'Venue', s) as Venue,
} as const;

export const InstrumentSymbol = {
  parse: (s: string): InstrumentSymbol => check(SYMBOL_RE, 'InstrumentSymbol', s) as InstrumentSymbol,
} as const;

export const InstrumentId = {
  parse(s: string): InstrumentId {
    if (typeof s !== 'string') throw new ParseError(`malformed InstrumentId: ${JSON.stringify(s)}`, 'InstrumentId');
    const dot = s.lastIndexOf('.');
    if (dot <= 0 || dot === s.length - 1) {
      throw new ParseError(`malformed InstrumentId (expected SYMBOL.VENUE): ${JSON.stringify(s)}`, 'InstrumentId');
    }
    try {
      InstrumentSymbol.parse(s.slice(0, dot));
      Venue.parse(s.slice(dot + 1));
    } catch (e) {
      // Report the whole id: the part alone does not tell the reader which input was wrong.
      throw new ParseError(`malformed InstrumentId ${JSON.stringify(s)} (${(e as Error).message})`, 'InstrumentId', { cause: e });
    }
    return s as InstrumentId;
  },
  of(symbol: string, venue: string): InstrumentId {
    return InstrumentId.parse(`${symbol}.${venue}`);
  },
  symbol: (id: InstrumentId): InstrumentSymbol => id.slice(0, id.lastIndexOf('.')) as InstrumentSymbol,
  venue: (id: InstrumentId): Venue => id.slice(id.lastIndexOf('.') + 1) as Venue,
} as const;

function idParser<T>(what: string) {
  return { parse: (s: string): T => check(ID_RE, what, s) as T } as const;
}

export const ClientOrderId = idParser<ClientOrderId>('ClientOrderId');
export const VenueOrderId = idParser<VenueOrderId>('VenueOrderId');
export const TradeId = idParser<TradeId>('TradeId');
export const StrategyId = idParser<StrategyId>('StrategyId');
export const TraderId = idParser<TraderId>('TraderId');
export const AccountId = idParser<AccountId>('AccountId');
export const PositionId = idParser<PositionId>('PositionId');
export const Currency = {
  parse: (s: string): Currency => check(CURRENCY_RE, 'Currency', s) as Currency,
} as const;
