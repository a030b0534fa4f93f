import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Bar } from '../../core/data.js';
import { BarSpec } from '../../core/bar-spec.js';
import { InstrumentId } from '../../core/identifiers.js';
import { InvariantError, ParseError } from '../../core/errors.js';
import type { Price, Quantity } from '../../core/price.js';
import { ThresholdBarAggregator, TimeBarAggregator } from '../../compute/bars/index.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';
import { BadRows, CsvInputError, CsvOutput, BARS_HEADER, TRADES_SCHEMA, formatBar, openCsv, scanDecimals } from '../csv/index.js';

const help = `Usage: tradewind bars --input <trades.csv> --interval <spec> [--output <file>] [--skip-bad] [--flat]

Aggregates trades into bars.

Input: CSV with header timestamp,price,size and optionally side,id (other columns are ignored;
\`amount\`, \`qty\` or \`quantity\` is accepted for size). timestamp is epoch milliseconds (UTC).
Rows must be in time order: a timestamp before the previous row's is a bad row.

Output: CSV timestamp,open,high,low,close,volume,trades; timestamp is the bar's open time in epoch
milliseconds; prices and volume are exact decimals with as many decimals as the input's longest price
and size; trades is the number of trades in the bar. The last, possibly incomplete, bar is included.

Options:
  --input <file>     trades CSV (required)
  --interval <spec>  bar spec (required): time bars 1s, 15s, 1m, 5m, 1h, 4h, 1d, ... aligned to the
                     UTC epoch; 100tick (every 100 trades); 1000volume (every 1000 units, a trade that
                     overflows a bar is split across bars); 5e4value (every 50000 of price*size notional)
  --output <file>    write here (atomically: nothing is written unless the run succeeds); default stdout
  --skip-bad         skip bad rows and report their number on stderr instead of failing
  --flat             time bars only: also write flat bars (volume 0) for intervals without trades

Exit codes: 0 success; 2 bad usage or bad input (the message names file, line and column).

Example:
  tradewind bars --input trades.csv --interval 1m --output bars-1m.csv
`;

export const barsCommand: Command = {
  name: 'bars',
  summary: 'Aggregate a trades CSV into time, tick, volume or value bars',
  help,
  run,
};

interface Aggregator {
  update(price: Price, size: Quantity, tsEvent: number): void;
  flush(): void;
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseOptions(argv);
  const input = values.input;
  if (input === undefined) throw new UsageError('--input <trades.csv> is required');
  if (values.interval === undefined) throw new UsageError('--interval <spec> is required (e.g. 1m, 1h, 100tick)');
  let spec: BarSpec;
  try {
    spec = BarSpec.parse(values.interval);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(`--interval: ${err.message}`);
    throw err;
  }
  if (spec.source !== 'last') throw new UsageError(`--interval: trades make bars priced from the last trade, not ${spec.source}`);
  const timeBased = BarSpec.isTimeBased(spec);
  if (values.flat === true && !timeBased) throw new UsageError('--flat applies to time bars only');

  const path = resolve(io.cwd, input);
  const precision = await scanDecimals(path, input, TRADES_SCHEMA, ['price', 'size']);
  const bad = new BadRows(values['skip-bad'] === true);
  const csv = await openCsv(path, input, TRADES_SCHEMA, bad);
  const pending: Bar[] = [];
  const opts = {
    instrumentId: InstrumentId.parse('INPUT.CSV'),
    spec,
    pricePrecision: precision.price,
    sizePrecision: precision.size,
    onBar: (b: Bar) => pending.push(b),
  };
  let agg: Aggregator;
  try {
    agg = timeBased ? new TimeBarAggregator({ ...opts, emitFlat: values.flat === true }) : new ThresholdBarAggregator(opts);
  } catch (err) {
    if (err instanceof ParseError) throw new UsageError(`--interval: ${err.message}`);
    throw err;
  }

  const out = await CsvOutput.open(values.output, io.cwd, io.stdout);
  try {
    await out.line(BARS_HEADER);
    let rows = 0;
    let lastTs = -1;
    for await (const row of csv.rows()) {
      rows++;
      try {
        const ts = row.timestampMs('timestamp');
        const price = row.price('price', precision.price);
        const size = row.quantity('size', precision.size);
        // The CLI reads a finished file: out-of-order rows are bad input, not late trades (docs/bars.md).
        if (ts < lastTs) row.fail('timestamp', `time goes backwards: ${row.text('timestamp')} is before the previous row's ${lastTs / 1000}`);
        lastTs = ts;
        agg.update(price, size, ts);
      } catch (err) {
        // A sum that no longer fits in 2^53 at the input's precision is not one row's fault: stop, naming where.
        if (err instanceof InvariantError) throw new CsvInputError({ file: input, line: row.line }, err.message);
        bad.handle(err);
        continue;
      }
      for (const b of pending) await out.line(formatBar(b, true));
      pending.length = 0;
    }
    if (rows + bad.count === 0) throw csv.noRows('timestamp');
    agg.flush();
    for (const b of pending) await out.line(formatBar(b, true));
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
      output: { type: 'string' },
      'skip-bad': { type: 'boolean' },
      flat: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}
