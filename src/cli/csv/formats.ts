import type { Bar } from '../../core/data.js';
import { formatDecimalRaw } from '../../core/decimal.js';
import type { Price, Quantity } from '../../core/price.js';
import type { CsvRow, CsvSchema } from './reader.js';

/** `tradewind bars` input: trades. `amount`/`qty`/`quantity` are accepted for `size` (freqtrade, ccxt). */
export const TRADES_SCHEMA: CsvSchema = {
  required: ['timestamp', 'price', 'size'],
  optional: ['side', 'id'],
  aliases: { size: ['amount', 'qty', 'quantity'] },
};

/** Bars as `tradewind bars` writes them; `date` is accepted for `timestamp` (freqtrade candles). */
export const BARS_SCHEMA: CsvSchema = {
  required: ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
  optional: ['trades'],
  aliases: { timestamp: ['date'] },
};

export const BARS_HEADER = 'timestamp,open,high,low,close,volume,trades';
export const BARS_HEADER_NO_TRADES = 'timestamp,open,high,low,close,volume';

/** Integer microseconds as epoch milliseconds, with a fraction only when there is one. */
export function formatMillis(micros: number): string {
  return micros % 1000 === 0 ? String(micros / 1000) : formatDecimalRaw(micros, 3).replace(/0+$/, '');
}

/** One output line: the bar's open time in epoch ms, exact decimals, the trade count when asked. */
export function formatBar(bar: Bar, withTrades: boolean): string {
  const base = `${formatMillis(bar.tsOpen)},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}`;
  return withTrades ? `${base},${bar.tradeCount}` : base;
}

export interface BarRow {
  readonly tsOpen: number;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
  readonly volume: Quantity;
  readonly trades: number;
}

/** Reads and checks one bar row: every cell parses exactly and low <= open, close <= high. */
export function readBarRow(row: CsvRow, pricePrecision: number, sizePrecision: number): BarRow {
  const tsOpen = row.timestampMs('timestamp');
  const open = row.price('open', pricePrecision);
  const high = row.price('high', pricePrecision);
  const low = row.price('low', pricePrecision);
  const close = row.price('close', pricePrecision);
  const volume = row.quantity('volume', sizePrecision);
  const trades = row.has('trades') && row.text('trades') !== '' ? row.count('trades') : 0;
  if (high.lt(open) || high.lt(close) || high.lt(low)) row.fail('high', `high ${high} is below open, low or close`);
  if (low.gt(open) || low.gt(close)) row.fail('low', `low ${low} is above open or close`);
  return { tsOpen, open, high, low, close, volume, trades };
}
