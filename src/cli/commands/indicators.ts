import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IndicatorRow, IndicatorSpecError, columnName, indicatorDefinitions } from '../../compute/indicators/index.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';
import { BadRows, CsvInputError, CsvOutput, openCsv } from '../csv/index.js';
import type { CsvSchema } from '../csv/index.js';

const SCHEMA: CsvSchema = {
  required: ['timestamp', 'open', 'high', 'low', 'close', 'volume'],
  aliases: { timestamp: ['date'] },
};

/** One line per indicator: its spec with default parameters and the columns that spec produces. */
function indicatorList(): string {
  return indicatorDefinitions
    .map((d) => {
      const spec = `${d.name}(${d.params.map(([p, v]) => `${p}=${v}`).join(',')})`;
      return `  ${spec.padEnd(44)} ${d.outputs.map((o) => columnName(o, d.params.map(([, v]) => v))).join(', ')}`;
    })
    .join('\n');
}

const help = `Usage: tradewind indicators --input <bars.csv> --spec <spec> [--output <file>] [--skip-bad]

Computes streaming indicators over a bars CSV, one row per bar.

Input: CSV with header timestamp,open,high,low,close,volume (other columns are kept; \`date\` is accepted
for timestamp). timestamp is epoch milliseconds; each row must be later than the one before.

Output: the input columns unchanged, then one column per indicator output, named
<output>_<parameters joined by _>: rsi(14) -> rsi_14; macd(12,26,9) -> macd_12_26_9,
macd_signal_12_26_9, macd_hist_12_26_9; bbands(20,2) -> bbands_upper_20_2, bbands_middle_20_2,
bbands_lower_20_2; atr(14) -> atr_14; an indicator without parameters (obv) -> obv. Omitted
parameters take their defaults and are named with them (rsi -> rsi_14). Cells are empty until the
indicator has warmed up (TA-Lib's lookback), then floats printed with full round-trip precision.

Options:
  --input <file>   bars CSV (required)
  --spec <spec>    comma-separated indicators (required), e.g. "rsi(14),macd(12,26,9),bbands(20,2),atr(14)"
  --output <file>  write here (atomically: nothing is written unless the run succeeds); default stdout
  --skip-bad       skip bad rows (they are not written) and report their number on stderr instead of failing

Indicators (name(parameter=default, ...) and the columns of that spec):
${indicatorList()}

Exit codes: 0 success; 2 bad usage or bad input (the message names file, line and column).

Example:
  tradewind indicators --input bars-1m.csv --spec "rsi(14),macd(12,26,9),bbands(20,2),atr(14)" --output features.csv
`;

export const indicatorsCommand: Command = {
  name: 'indicators',
  summary: 'Add streaming indicator columns (RSI, MACD, Bollinger, ATR, ...) to a bars CSV',
  help,
  run,
};

/** Quotes a cell only when CSV needs it, so plain input round-trips byte for byte. */
function cell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseOptions(argv);
  const input = values.input;
  if (input === undefined) throw new UsageError('--input <bars.csv> is required');
  if (values.spec === undefined) throw new UsageError('--spec is required, e.g. --spec "rsi(14),macd(12,26,9)"');
  let row: IndicatorRow;
  try {
    row = IndicatorRow.fromSpec(values.spec);
  } catch (err) {
    if (err instanceof IndicatorSpecError) throw new UsageError(`--spec: ${err.message}`);
    throw err;
  }

  const bad = new BadRows(values['skip-bad'] === true);
  const csv = await openCsv(resolve(io.cwd, input), input, SCHEMA, bad);
  const inputNames = csv.header.names.map((n) => n.trim());
  const clash = row.columns.find((c) => inputNames.some((n) => n.toLowerCase() === c));
  if (clash !== undefined) {
    throw new CsvInputError({ file: input, line: 1, column: clash, columnIndex: inputNames.findIndex((n) => n.toLowerCase() === clash) + 1 }, `the input already has a column ${clash}`);
  }

  // One reused bar; tsOpen (microseconds) is read by the session-anchored VWAP.
  const bar = { open: 0, high: 0, low: 0, close: 0, volume: 0, tsOpen: 0 };
  const out = await CsvOutput.open(values.output, io.cwd, io.stdout);
  try {
    await out.line([...inputNames.map(cell), ...row.columns].join(','));
    let rows = 0;
    let last = -1;
    for await (const r of csv.rows()) {
      rows++;
      let ts: number;
      try {
        ts = r.timestampMs('timestamp');
        bar.open = r.float('open');
        bar.high = r.float('high');
        bar.low = r.float('low');
        bar.close = r.float('close');
        bar.volume = r.float('volume');
        if (ts <= last) r.fail('timestamp', `${r.text('timestamp')} is ${ts === last ? 'the same time as' : 'before'} the previous bar's: bars must be in time order`);
      } catch (err) {
        bad.handle(err);
        continue;
      }
      last = ts;
      bar.tsOpen = ts;
      const vs = row.update(bar);
      let text = r.cells.map(cell).join(',');
      for (let k = 0; k < vs.length; k++) text += Number.isNaN(vs[k]) ? ',' : `,${vs[k]}`;
      await out.line(text);
    }
    if (rows + bad.count === 0) throw csv.noRows('timestamp');
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
      spec: { type: 'string' },
      output: { type: 'string' },
      'skip-bad': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
}
