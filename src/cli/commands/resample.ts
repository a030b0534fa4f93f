import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { InstrumentId } from '../../core/identifiers.js';
import { InvariantError, ParseError } from '../../core/errors.js';
import { UnixMicros } from '../../core/time.js';
import { BarResampler, checkMultiple } from '../../compute/bars/index.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';
import {
  BARS_HEADER,
  BARS_HEADER_NO_TRADES,
  BARS_SCHEMA,
  BadRows,
  CsvInputError,
  CsvOutput,
  formatBar,
  formatMillis,
  openCsv,
  readBarRow,
  scanDecimals,
} from '../csv/index.js';

const help = `Usage: tradewind resample --input <bars.csv> --interval <spec> [--output <file>] [--skip-bad] [--input-interval <spec>]

Merges time bars into larger time bars aligned to the UTC epoch (1m -> 5m, 1h -> 1d): open of the
first bar, highest high, lowest low, close of the last bar, volume summed, trades summed.

Input: CSV timestamp,open,high,low,close,volume and optionally trades (the format \`tradewind bars\`
writes; \`date\` is accepted for timestamp). timestamp is the bar's open time in epoch milliseconds;
each row must be later than the one before (a row going backwards or repeating a time is bad).
A row whose high is below its open, low or close, or whose low is above its open or close, is bad.

Output: the same format; the trades column is written when the input has one. Prices and volume keep
the input's decimals exactly. The last bar is written even if the input ends inside its interval.

The target interval must be a whole multiple of the input's. The input interval is taken from
--input-interval, or else inferred as the smallest gap between consecutive bars; every input time
must be a multiple of it. Otherwise the run fails with exit code 2 and writes nothing.

Options:
  --input <file>            bars CSV (required)
  --interval <spec>         target bar length (required): 5m, 15m, 1h, 4h, 1d, ...
  --input-interval <spec>   the input bars' length, when the timestamps do not show it
  --output <file>           write here (atomically: nothing is written unless the run succeeds); default stdout
  --skip-bad                skip bad rows and report their number on stderr instead of failing

Exit codes: 0 success; 2 bad usage or bad input (the message names file, line and column).

Example:
  tradewind resample --input bars-1m.csv --interval 5m --output bars-5m.csv
`;

export const resampleCommand: Command = {
  name: 'resample',
  summary: 'Merge a bars CSV into larger, epoch-aligned time bars',
  help,
  run,
};

function parseSpec(option: string, text: string): BarSpec {
  let spec: BarSpec;
  try {
    spec = BarSpec.parse(text);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(`${option}: ${err.message}`);
    throw err;
  }
  if (!BarSpec.isTimeBased(spec) || spec.source !== 'last') throw new UsageError(`${option}: resampling works on time bars (1m, 1h, 1d, ...), not ${text}`);
  return spec;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The shortest time bar spec for a length in microseconds: 86400000000 -> 1d, 90000000 -> 90s. */
function specFor(micros: number): string {
  for (const [unit, size] of [['d', 86_400_000_000], ['h', 3_600_000_000], ['m', 60_000_000], ['s', 1_000_000]] as const) {
    if (micros % size === 0) return `${micros / size}${unit}`;
  }
  return `${formatMillis(micros)}ms`;
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseOptions(argv);
  const input = values.input;
  if (input === undefined) throw new UsageError('--input <bars.csv> is required');
  if (values.interval === undefined) throw new UsageError('--interval <spec> is required (e.g. 5m, 1h, 1d)');
  const spec = parseSpec('--interval', values.interval);
  const target = BarSpec.durationMicros(spec)!;
  const declared = values['input-interval'] === undefined ? undefined : parseSpec('--input-interval', values['input-interval']);
  if (declared !== undefined) {
    try {
      checkMultiple(declared, spec);
    } catch (err) {
      throw new UsageError(`--interval: ${(err as Error).message}`);
    }
  }
  const step = declared === undefined ? undefined : BarSpec.durationMicros(declared)!;

  const path = resolve(io.cwd, input);
  const decimals = await scanDecimals(path, input, BARS_SCHEMA, ['open', 'high', 'low', 'close', 'volume']);
  const pp = Math.max(decimals.open, decimals.high, decimals.low, decimals.close);
  const sp = decimals.volume;
  const bad = new BadRows(values['skip-bad'] === true);
  const csv = await openCsv(path, input, BARS_SCHEMA, bad);
  const withTrades = csv.header.has('trades');
  const pending: Bar[] = [];
  const instrumentId = InstrumentId.parse('INPUT.CSV');
  const resampler = new BarResampler({ instrumentId, spec, pricePrecision: pp, sizePrecision: sp, onBar: (b) => pending.push(b) });

  const out = await CsvOutput.open(values.output, io.cwd, io.stdout);
  try {
    await out.line(withTrades ? BARS_HEADER : BARS_HEADER_NO_TRADES);
    let rows = 0;
    let last = -1;
    let minGap = Infinity;
    let minGapLine = 0;
    let timesGcd = 0;
    for await (const row of csv.rows()) {
      rows++;
      try {
        const r = readBarRow(row, pp, sp);
        if (r.tsOpen <= last) {
          row.fail('timestamp', `${row.text('timestamp')} is ${r.tsOpen === last ? 'the same time as' : 'before'} the previous bar's ${formatMillis(last)}: bars must be in time order`);
        }
        if (step !== undefined && r.tsOpen % step !== 0) row.fail('timestamp', `${row.text('timestamp')} is not aligned to the input interval ${values['input-interval']}`);
        if (last >= 0 && r.tsOpen - last < minGap) {
          minGap = r.tsOpen - last;
          minGapLine = row.line;
        }
        last = r.tsOpen;
        timesGcd = gcd(timesGcd, r.tsOpen);
        resampler.handleBar({
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
          tsEvent: UnixMicros.unsafe(r.tsOpen + (step ?? 0)),
          tsInit: UnixMicros.unsafe(r.tsOpen + (step ?? 0)),
        });
      } catch (err) {
        // A sum that no longer fits in 2^53 at the input's precision is not one row's fault: stop, naming where.
        if (err instanceof InvariantError) throw new CsvInputError({ file: input, line: row.line }, err.message);
        bad.handle(err);
        continue;
      }
      for (const b of pending) await out.line(formatBar(b, withTrades));
      pending.length = 0;
    }
    if (rows + bad.count === 0) throw csv.noRows('timestamp');
    if (step === undefined && Number.isFinite(minGap)) {
      // Bars do not overlap, so the input interval is at most the smallest gap; take it as the interval, and
      // every time must sit on its grid, or the input is not what we think (say so rather than guess).
      const place = { file: input, line: minGapLine, column: 'timestamp', columnIndex: (csv.header.indexOf('timestamp') ?? 0) + 1 };
      const hint = `(the input's interval is taken as ${specFor(minGap)}, the smallest gap between bars, which ends on this line; give --input-interval to state it)`;
      if (timesGcd % minGap !== 0) throw new CsvInputError(place, `the bar times are not all multiples of the input's interval ${hint}`);
      if (target % minGap !== 0) throw new CsvInputError(place, `--interval ${values.interval} is not a whole multiple of the input's interval ${hint}`);
    }
    resampler.flush();
    for (const b of pending) await out.line(formatBar(b, withTrades));
    await out.commit();
  } catch (err) {
    await out.abort();
    throw err;
  }
  io.stderr.write(bad.summary(input));
  return ExitCode.Ok;
}

/** Option errors from parseArgs become exit code 2 in runCli. */
function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      input: { type: 'string' },
      interval: { type: 'string' },
      'input-interval': { type: 'string' },
      output: { type: 'string' },
      'skip-bad': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}
