import { decimalsOf, parseFixed } from '../fixed.js';

/**
 * Historical trades as CSV: `timestamp,price,size[,side,id]`, with or without a header row. Timestamps
 * are epoch milliseconds, or microseconds when they are that large, or ISO-8601; side is the taker's
 * (`buy`/`sell`, also `b`/`s`). Prices and sizes stay exact: they are read as integers at the largest
 * number of decimals the file uses.
 */
export interface CsvTrade {
  readonly timeUs: number;
  readonly price: number;
  readonly qty: number;
  /** True when the seller was the taker (the buyer was the maker), as Binance's `m`. */
  readonly buyerMaker: boolean;
  readonly id: number | undefined;
}

export interface CsvTrades {
  readonly trades: CsvTrade[];
  readonly pricePrecision: number;
  readonly qtyPrecision: number;
}

export class TradeCsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'TradeCsvError';
  }
}

function timeUs(s: string, line: number): number {
  if (/^\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Milliseconds until year 5138; beyond 1e14 the value is microseconds (Binance archives since 2025).
    return n >= 1e14 ? Math.trunc(n) : Math.round(n * 1000);
  }
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new TradeCsvError(`bad timestamp ${JSON.stringify(s)}`, line);
  return ms * 1000;
}

export function parseTradesCsv(text: string): CsvTrades {
  const rows: { line: number; cols: string[] }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (l === '') continue;
    const cols = l.split(',').map((c) => c.trim());
    if (rows.length === 0 && i === 0 && !/^[\d.]/.test(cols[0])) continue; // header
    if (cols.length < 3) throw new TradeCsvError('expected timestamp,price,size[,side,id]', i + 1);
    rows.push({ line: i + 1, cols });
  }
  let pp = 0;
  let qp = 0;
  for (const r of rows) {
    pp = Math.max(pp, decimalsOf(r.cols[1]));
    qp = Math.max(qp, decimalsOf(r.cols[2]));
  }
  const trades: CsvTrade[] = [];
  let last = 0;
  for (const { line, cols } of rows) {
    const t = timeUs(cols[0], line);
    if (t < last) throw new TradeCsvError('timestamps go backwards', line);
    last = t;
    let price: number;
    let qty: number;
    try {
      price = parseFixed(cols[1], pp);
      qty = parseFixed(cols[2], qp);
    } catch (e) {
      throw new TradeCsvError((e as Error).message, line);
    }
    if (price <= 0 || qty <= 0) throw new TradeCsvError('price and size must be positive', line);
    const side = (cols[3] ?? '').toLowerCase();
    if (side !== '' && !['buy', 'sell', 'b', 's'].includes(side)) throw new TradeCsvError(`bad side ${JSON.stringify(cols[3])}`, line);
    const idText = cols[4];
    const id = idText === undefined || idText === '' ? undefined : Number(idText);
    if (id !== undefined && !Number.isSafeInteger(id)) throw new TradeCsvError(`bad id ${JSON.stringify(idText)}`, line);
    trades.push({ timeUs: t, price, qty, buyerMaker: side === 'sell' || side === 's', id });
  }
  return { trades, pricePrecision: pp, qtyPrecision: qp };
}
