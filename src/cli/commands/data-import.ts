import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { archiveText, parseBinanceArchive, type BinanceArchiveKind } from '../../adapters/historical/binance-archive.js';
import { parsePolygonAggs } from '../../adapters/historical/polygon-aggs.js';
import type { RowRejection } from '../../adapters/historical/rejection.js';
import { parseArgs } from 'node:util';
import { AggressorSide, BarSpec, InstrumentId, ParseError, TradeId, UnixMicros } from '../../core/index.js';
import type { Bar, TradeTick } from '../../core/index.js';
import { describeDatabase, openDatabase } from '../../infra/db/open.js';
import { SqlMarketStore } from '../../infra/store/sql-market-store.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';
import { BARS_SCHEMA, BadRows, CsvInputError, CsvRowError, TRADES_SCHEMA, openCsv, readBarRow, scanDecimals } from '../csv/index.js';
import type { CsvRow } from '../csv/index.js';

const help = `Usage: tradewind data import --venue <csv|binance|binance-futures|polygon> --kind <trades|bars> [--instrument <id>] [--spec <1m|1d|...>] <files...>

Imports trades or bars from files into the database (PGlite under $TRADEWIND_HOME, default ./var;
PostgreSQL when TRADEWIND_DATABASE_URL is set).

Each file is imported all-or-nothing, in one transaction: if any row is bad, nothing of that file is
stored, and the bad rows are listed with file, line, column and reason (the first 20). Rows already in
the database are skipped, so importing a file twice changes nothing. One-minute bars are rolled up into
5m, 15m, 1h and 1d bars as they are stored.

Formats (--venue csv, the CSV contracts of \`tradewind bars\`):
  trades  header timestamp,price,size[,side,id]; timestamp in epoch milliseconds (UTC); side is
          buy|sell|b|s (empty: unknown); a missing id becomes <timestamp µs>-<n>, n counting trades
          at the same timestamp in file order, so re-imports stay idempotent
  bars    header timestamp,open,high,low,close,volume[,trades]; timestamp is the bar's open time in
          epoch milliseconds; needs --spec
Prices and sizes are stored exactly, at the largest number of decimals found in the file's column.

Formats (--venue binance | binance-futures, the Binance public data archive, .zip or the .csv inside):
  trades  <SYMBOL>-trades-<date> or <SYMBOL>-aggTrades-<date> files (told by the name); with or
          without a header row; millisecond or microsecond timestamps
  bars    <SYMBOL>-<interval>-<date> kline files; the spec comes from the name unless --spec is given
  The instrument defaults to <SYMBOL>.BINANCE (BINANCE_FUTURES for futures) from the file name.
Formats (--venue polygon): bars from a REST aggregates response (JSON); needs --instrument and --spec.

Options:
  --venue <format>        csv | binance | binance-futures | polygon
  --kind <trades|bars>    what the files hold (required)
  --instrument <id>       instrument id SYMBOL.VENUE, e.g. BTCUSDT.BINANCE (required for csv and polygon)
  --spec <spec>           bar spec of the file, e.g. 1m, 1h, 1d (required for bars)

Output: one line per file: file, rows read, rows inserted (new), rows already present.
Exit codes: 0 all files imported; 2 bad usage or a file rejected (others may have been imported).

Example:
  tradewind data import --venue csv --kind bars --instrument BTCUSDT.BINANCE --spec 1m btc-1m.csv
`;

export const dataImportCommand: Command = {
  name: 'data import',
  summary: 'Import trades or bars from CSV files into the database (all-or-nothing per file)',
  help,
  run,
};

const BATCH = 5_000;
const MAX_REPORTED = 20;

function parseSide(row: CsvRow): AggressorSide {
  if (!row.has('side')) return AggressorSide.None;
  const s = row.text('side').toLowerCase();
  if (s === '') return AggressorSide.None;
  if (s === 'buy' || s === 'b' || s === 'buyer') return AggressorSide.Buyer;
  if (s === 'sell' || s === 's' || s === 'seller') return AggressorSide.Seller;
  return row.fail('side', `expected buy or sell, found ${JSON.stringify(row.text('side'))}`);
}

/**
 * Collects bad rows instead of stopping at the first, so the user sees them all; the file is rejected at
 * its end when there is any.
 */
class RowErrors extends BadRows {
  readonly messages: string[] = [];
  constructor() {
    super(true);
  }
  override handle(err: unknown): void {
    this.add(err);
  }
  add(err: unknown): void {
    if (!(err instanceof CsvRowError)) throw err;
    this.count++;
    if (this.messages.length < MAX_REPORTED) this.messages.push(err.message);
  }
}

class FileRejected extends Error {}

/** A venue file that cannot be read at all (not JSON, not a zip, misnamed). */
class UnreadableFile extends Error {}

async function* tradeBatches(path: string, display: string, instrumentId: InstrumentId, errors: RowErrors): AsyncGenerator<TradeTick[]> {
  const precision = await scanDecimals(path, display, TRADES_SCHEMA, ['price', 'size']);
  const csv = await openCsv(path, display, TRADES_SCHEMA, errors);
  const seqAt = new Map<number, number>();
  let batch: TradeTick[] = [];
  for await (const row of csv.rows()) {
    try {
      const ts = row.timestampMs('timestamp');
      const price = row.price('price', precision.price);
      const size = row.quantity('size', precision.size);
      if (price.raw <= 0) row.fail('price', `price must be positive: ${price}`);
      const side = parseSide(row);
      let id: string;
      if (row.has('id') && row.text('id') !== '') {
        id = row.text('id');
        try {
          TradeId.parse(id);
        } catch (err) {
          if (err instanceof ParseError) row.fail('id', err.message);
          throw err;
        }
      } else {
        const n = seqAt.get(ts) ?? 0;
        seqAt.set(ts, n + 1);
        id = `${ts}-${n}`;
      }
      if (errors.count > 0) continue; // the file is rejected anyway: only look for more bad rows
      batch.push({
        type: 'trade',
        instrumentId,
        price,
        size,
        aggressorSide: side,
        tradeId: id as TradeId,
        tsEvent: UnixMicros.unsafe(ts),
        tsInit: UnixMicros.unsafe(ts),
      });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    } catch (err) {
      errors.add(err);
    }
  }
  if (errors.count > 0) throw new FileRejected();
  if (batch.length > 0) yield batch;
}

async function* barBatches(path: string, display: string, instrumentId: InstrumentId, spec: BarSpec, errors: RowErrors): AsyncGenerator<Bar[]> {
  const precision = await scanDecimals(path, display, BARS_SCHEMA, ['open', 'high', 'low', 'close', 'volume']);
  const pricePrecision = Math.max(precision.open, precision.high, precision.low, precision.close);
  const duration = BarSpec.durationMicros(spec) ?? 0;
  const csv = await openCsv(path, display, BARS_SCHEMA, errors);
  let batch: Bar[] = [];
  for await (const row of csv.rows()) {
    try {
      const r = readBarRow(row, pricePrecision, precision.volume);
      if (duration > 0 && r.tsOpen % duration !== 0) row.fail('timestamp', `not aligned to a ${BarSpec.toString(spec)} bar open time`);
      if (errors.count > 0) continue;
      batch.push({
        type: 'bar',
        instrumentId,
        spec,
        open: r.open,
        high: r.high,
        low: r.low,
        close: r.close,
        volume: r.volume,
        tradeCount: r.trades,
        tsOpen: UnixMicros.unsafe(r.tsOpen),
        tsEvent: UnixMicros.unsafe(r.tsOpen + duration),
        tsInit: UnixMicros.unsafe(r.tsOpen + duration),
      });
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    } catch (err) {
      errors.add(err);
    }
  }
  if (errors.count > 0) throw new FileRejected();
  if (batch.length > 0) yield batch;
}

/** What a venue file holds, from the archive's file naming: BTCUSDT-trades-2024-01-01, BTCUSDT-1m-2024-01-01. */
function binanceFileKind(file: string): { symbol: string; kind: BinanceArchiveKind; interval?: string } | undefined {
  const name = basename(file).replace(/\.(zip|csv)$/i, '');
  const m = /^([A-Z0-9]+)-(trades|aggTrades|\d+[smhdwM])-\d{4}-\d{2}(?:-\d{2})?$/.exec(name);
  if (m === null) return undefined;
  if (m[2] === 'trades' || m[2] === 'aggTrades') return { symbol: m[1], kind: m[2] };
  return { symbol: m[1], kind: 'klines', interval: m[2] };
}

interface VenueFile {
  readonly trades?: TradeTick[];
  readonly bars?: Bar[];
  readonly rejected: readonly RowRejection[];
}

async function loadVenueFile(venue: string, kind: 'trades' | 'bars', path: string, file: string, instrument: InstrumentId | undefined, spec: BarSpec | undefined): Promise<VenueFile> {
  const bytes = await readFile(path);
  if (venue === 'polygon') {
    let body: unknown;
    try {
      body = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      throw new UnreadableFile(`${file}: not valid JSON: ${(err as Error).message}`);
    }
    const r = parsePolygonAggs(body, { instrumentId: instrument as InstrumentId, interval: BarSpec.toString(spec as BarSpec) });
    return { bars: r.events, rejected: r.rejected };
  }
  const what = binanceFileKind(file);
  if (what === undefined) throw new UnreadableFile(`${file}: not named like a Binance archive file (SYMBOL-trades-DATE, SYMBOL-aggTrades-DATE or SYMBOL-1m-DATE)`);
  if ((kind === 'bars') !== (what.kind === 'klines')) throw new UnreadableFile(`${file}: holds ${what.kind}, not ${kind}`);
  const instrumentId = instrument ?? InstrumentId.of(what.symbol, venue === 'binance' ? 'BINANCE' : 'BINANCE_FUTURES');
  const text = archiveText(bytes, file);
  if (what.kind === 'klines') {
    const interval = spec === undefined ? (what.interval as string) : BarSpec.toString(spec);
    const r = parseBinanceArchive('klines', text, { instrumentId, interval });
    return { bars: r.events, rejected: r.rejected };
  }
  const r = parseBinanceArchive(what.kind, text, { instrumentId });
  return { trades: r.events, rejected: r.rejected };
}

async function* inBatches<T>(items: readonly T[]): AsyncGenerator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals: files } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      venue: { type: 'string' },
      kind: { type: 'string' },
      instrument: { type: 'string' },
      spec: { type: 'string' },
    },
  });
  const venue = values.venue;
  if (venue === undefined) throw new UsageError('--venue is required (csv, binance, binance-futures or polygon)');
  if (!['csv', 'binance', 'binance-futures', 'polygon'].includes(venue)) throw new UsageError(`--venue must be csv, binance, binance-futures or polygon, got ${venue}`);
  if (values.kind !== 'trades' && values.kind !== 'bars') throw new UsageError('--kind must be trades or bars');
  if (values.instrument === undefined && (venue === 'csv' || venue === 'polygon')) throw new UsageError(`--instrument <SYMBOL.VENUE> is required for --venue ${venue}`);
  if (venue === 'polygon' && values.kind !== 'bars') throw new UsageError('--venue polygon imports bars (REST aggregates)');
  let instrumentId: InstrumentId | undefined;
  let spec: BarSpec | undefined;
  try {
    if (values.instrument !== undefined) instrumentId = InstrumentId.parse(values.instrument);
    if (values.spec !== undefined) spec = BarSpec.parse(values.spec);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(err.message);
    throw err;
  }
  if (values.kind === 'bars' && spec === undefined && venue !== 'binance' && venue !== 'binance-futures') throw new UsageError('--spec is required for bars (e.g. 1m, 1d)');
  if (spec !== undefined && !BarSpec.isTimeBased(spec)) throw new UsageError('--spec must be a time bar spec (1m, 1h, 1d...)');
  if (values.kind === 'trades' && spec !== undefined) throw new UsageError('--spec applies to bars only');
  if (files.length === 0) throw new UsageError('no input files given');

  const db = await openDatabase({ env: io.env, cwd: io.cwd });
  const store = new SqlMarketStore(db);
  let failed = 0;
  try {
    io.stderr.write(`importing into ${describeDatabase(io.env, io.cwd)}\n`);
    for (const file of files) {
      const path = resolve(io.cwd, file);
      const errors = new RowErrors();
      try {
        let result;
        if (venue === 'csv') {
          result =
            values.kind === 'trades'
              ? await store.importTrades(tradeBatches(path, file, instrumentId as InstrumentId, errors))
              : await store.importBars(barBatches(path, file, instrumentId as InstrumentId, spec as BarSpec, errors));
        } else {
          let loaded: VenueFile;
          try {
            loaded = await loadVenueFile(venue, values.kind, path, file, instrumentId, spec);
          } catch (err) {
            if (err instanceof ParseError) throw new UnreadableFile(`${file}: ${err.message}`);
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UnreadableFile(`${file}: no such file`);
            throw err;
          }
          for (const r of loaded.rejected) if (errors.messages.length < MAX_REPORTED) errors.messages.push(`${file}: line ${r.line}: ${r.reason}`);
          errors.count += loaded.rejected.length;
          if (loaded.rejected.length > 0) throw new FileRejected();
          result = loaded.trades !== undefined ? await store.importTrades(inBatches(loaded.trades)) : await store.importBars(inBatches(loaded.bars ?? []));
        }
        io.stdout.write(`${file}: ${result.received} rows, ${result.inserted} inserted, ${result.received - result.inserted} already present\n`);
      } catch (err) {
        if (!(err instanceof FileRejected) && !(err instanceof CsvInputError) && !(err instanceof UnreadableFile)) throw err;
        failed++;
        if (err instanceof CsvInputError || err instanceof UnreadableFile) io.stderr.write(`${err.message}\n`);
        for (const m of errors.messages) io.stderr.write(`${m}\n`);
        if (errors.count > errors.messages.length) io.stderr.write(`... and ${errors.count - errors.messages.length} more bad rows\n`);
        io.stderr.write(`${file}: rejected, nothing imported${errors.count > 0 ? ` (${errors.count} bad row${errors.count === 1 ? '' : 's'})` : ''}\n`);
      }
    }
  } finally {
    await store.close();
  }
  return failed > 0 ? ExitCode.BadInput : ExitCode.Ok;
}
