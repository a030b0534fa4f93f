import { parseArgs } from 'node:util';
import { BarSpec, InstrumentId, ParseError, UnixMicros } from '../../core/index.js';
import type { Bar } from '../../core/index.js';
import { openDatabase } from '../../infra/db/open.js';
import { SqlMarketStore } from '../../infra/store/sql-market-store.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';
import { BARS_HEADER, CsvOutput, formatBar, formatMillis } from '../csv/index.js';

const help = `Usage: tradewind data export --instrument <id> --spec <1m|...> --from <date> --to <date> [--format csv|json] [--output <file>]

Exports stored bars of one instrument and spec whose open time is in [from, to).

Options:
  --instrument <id>   instrument id SYMBOL.VENUE (required)
  --spec <spec>       bar spec, e.g. 1m, 5m, 15m, 1h, 1d (rollups of 1m bars are stored too) (required)
  --from <date>       start, inclusive: ISO-8601 date or date-time (UTC unless an offset is given),
                      or epoch milliseconds (required)
  --to <date>         end, exclusive, same forms (required)
  --format csv|json   csv (default): timestamp,open,high,low,close,volume,trades with timestamp the
                      open time in epoch milliseconds, exact decimals (the \`tradewind bars\` format);
                      json: an array of {"timestamp", "open", "high", "low", "close", "volume", "trades"}
                      with the same values, decimals as strings
  --output <file>     write here (atomically); default stdout

Database: PGlite under $TRADEWIND_HOME (default ./var), PostgreSQL when TRADEWIND_DATABASE_URL is set.
Exit codes: 0 success (also when no bar matches: header only, or []); 2 bad usage.

Example:
  tradewind data export --instrument BTCUSDT.BINANCE --spec 1h --from 2024-01-01 --to 2024-02-01
`;

export const dataExportCommand: Command = {
  name: 'data export',
  summary: 'Export stored bars of one instrument as CSV or JSON',
  help,
  run,
};

const PAGE = 10_000;

function parseTime(flag: string, s: string | undefined): UnixMicros {
  if (s === undefined) throw new UsageError(`--${flag} is required`);
  try {
    return /^\d+$/.test(s) && s.length > 8 ? UnixMicros.fromMillis(Number(s)) : UnixMicros.parseIso(s);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(`--${flag}: ${err.message}`);
    throw err;
  }
}

function barJson(b: Bar): string {
  return JSON.stringify({
    timestamp: Number(formatMillis(b.tsOpen)),
    open: b.open.toString(),
    high: b.high.toString(),
    low: b.low.toString(),
    close: b.close.toString(),
    volume: b.volume.toString(),
    trades: b.tradeCount,
  });
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      instrument: { type: 'string' },
      spec: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      output: { type: 'string' },
    },
  });
  if (values.instrument === undefined) throw new UsageError('--instrument is required');
  if (values.spec === undefined) throw new UsageError('--spec is required');
  let instrumentId: InstrumentId;
  let spec: BarSpec;
  try {
    instrumentId = InstrumentId.parse(values.instrument);
    spec = BarSpec.parse(values.spec);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(err.message);
    throw err;
  }
  const from = parseTime('from', values.from);
  const to = parseTime('to', values.to);
  if (to <= from) throw new UsageError('--to must be after --from');
  const format = values.format;
  if (format !== 'csv' && format !== 'json') throw new UsageError('--format must be csv or json');

  const db = await openDatabase({ env: io.env, cwd: io.cwd });
  const store = new SqlMarketStore(db);
  const out = await CsvOutput.open(values.output, io.cwd, io.stdout);
  try {
    if (format === 'csv') await out.line(BARS_HEADER);
    let cursor: number = from;
    let first = true;
    for (;;) {
      const page = await store.bars(instrumentId, spec, { from: UnixMicros.unsafe(cursor), to }, PAGE);
      for (const b of page) {
        if (format === 'csv') await out.line(formatBar(b, true));
        else await out.line(`${first ? '[' : ','}${barJson(b)}`);
        first = false;
      }
      if (page.length < PAGE) break;
      cursor = page[page.length - 1].tsOpen + 1;
    }
    if (format === 'json') await out.line(first ? '[]' : ']');
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  } finally {
    await store.close();
  }
  return ExitCode.Ok;
}
