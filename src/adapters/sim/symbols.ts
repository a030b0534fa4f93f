import { Rng, hashString } from './rng.js';

/** What the simulator lists for one symbol: names, precisions and the starting price of its path. */
export interface SymbolSpec {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  /** Decimal places of the tick size (tick = 10^-pricePrecision). */
  readonly pricePrecision: number;
  /** Decimal places of the lot size (step = 10^-qtyPrecision). */
  readonly qtyPrecision: number;
  readonly initialPrice: number;
}

export const MAX_SYMBOLS = 10_000;

const knownPrices: Readonly<Record<string, number>> = {
  BTC: 60_000,
  ETH: 3_000,
  BNB: 500,
  SOL: 150,
  XRP: 0.6,
  ADA: 0.45,
  DOGE: 0.12,
};

const quotes = ['USDT', 'USDC', 'FDUSD', 'BUSD', 'TUSD', 'BTC', 'ETH', 'BNB', 'EUR', 'USD', 'TRY'];

function splitSymbol(symbol: string): [string, string] {
  const dash = symbol.indexOf('-');
  if (dash > 0) return [symbol.slice(0, dash), symbol.slice(dash + 1)];
  for (const q of quotes) if (symbol.endsWith(q) && symbol.length > q.length) return [symbol.slice(0, -q.length), q];
  return [symbol.slice(0, -3), symbol.slice(-3)];
}

/**
 * Specs for the given symbol names: the tick is about one basis point of the starting price and a lot
 * about a dollar's worth, so every symbol trades in a realistic number of ticks and lots whatever its price.
 */
export function specsFor(names: readonly string[], seed: number): SymbolSpec[] {
  if (names.length === 0) throw new RangeError('at least one symbol is needed');
  if (names.length > MAX_SYMBOLS) throw new RangeError(`at most ${MAX_SYMBOLS} symbols, got ${names.length}`);
  const seen = new Set<string>();
  return names.map((raw) => {
    const symbol = raw.trim().toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9-]{1,19}$/.test(symbol)) throw new RangeError(`bad symbol name ${JSON.stringify(raw)}`);
    if (seen.has(symbol)) throw new RangeError(`duplicate symbol ${symbol}`);
    seen.add(symbol);
    const [baseAsset, quoteAsset] = splitSymbol(symbol);
    const rng = new Rng(seed, hashString(symbol));
    const known = knownPrices[baseAsset];
    const drawn = 10 ** (rng.next() * 5.5 - 2);
    const price = known ?? drawn;
    const pricePrecision = Math.min(8, Math.max(0, Math.ceil(4 - Math.log10(price))));
    const qtyPrecision = Math.min(8 - pricePrecision, Math.max(0, Math.ceil(Math.log10(price))));
    const tick = 10 ** -pricePrecision;
    const initialPrice = Math.round(price / tick) * tick;
    return { symbol, baseAsset, quoteAsset, pricePrecision, qtyPrecision, initialPrice };
  });
}

/** `SYM0001USDT`, `SYM0002USDT`, ... (wider numbers when there are 10,000). */
export function generatedNames(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_SYMBOLS) {
    throw new RangeError(`symbol count must be 1..${MAX_SYMBOLS}, got ${count}`);
  }
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `SYM${String(i + 1).padStart(width, '0')}USDT`);
}

/** `--symbols 1000` or `--symbols BTCUSDT,ETHUSDT`. */
export function parseSymbolsOption(value: string): string[] {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return generatedNames(Number(trimmed));
  const names = trimmed.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new RangeError('empty symbol list');
  return names;
}
