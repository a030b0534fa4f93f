import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';
import { talib } from '../../compute/indicators/testing/talib.js';
import { indicatorDefinitions, parseIndicatorSpec } from '../../compute/indicators/index.js';

const T0 = 1570752000000;
const N = 80;

/** A deterministic random walk with a real high/low range, written as bars CSV (with an extra trades column). */
function series() {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const o: number[] = [], h: number[] = [], l: number[] = [], c: number[] = [], v: number[] = [];
  let price = 100;
  for (let i = 0; i < N; i++) {
    const open = price;
    const close = Math.round((open + (rand() - 0.5) * 4) * 100) / 100;
    o.push(open);
    c.push(close);
    h.push(Math.round((Math.max(open, close) + rand()) * 100) / 100);
    l.push(Math.round((Math.min(open, close) - rand()) * 100) / 100);
    v.push(Math.round(rand() * 1000) / 10);
    price = close;
  }
  const lines = ['timestamp,open,high,low,close,volume,trades', ...o.map((_, i) => `${T0 + i * 60000},${o[i]},${h[i]},${l[i]},${c[i]},${v[i]},${i}`)];
  return { o, h, l, c, v, csv: `${lines.join('\n')}\n` };
}

async function indicators(files: Record<string, string>, args: string[]) {
  const dir = tempDirWith(files);
  const io = captureIo(dir);
  const code = await runCli(['indicators', ...args], io);
  return { code, out: io.out(), err: io.err(), dir };
}

function column(out: string, name: string): number[] {
  const [head, ...rows] = out.trim().split('\n');
  const i = head.split(',').indexOf(name);
  expect(i, name).toBeGreaterThan(-1);
  return rows.map((r) => {
    const cell = r.split(',')[i];
    return cell === '' ? Number.NaN : Number(cell);
  });
}

function expectClose(actual: number[], expected: ArrayLike<number>, label: string) {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i];
    if (Number.isNaN(e)) expect(actual[i], `${label}[${i}] warm-up`).toBeNaN();
    else expect(Math.abs(actual[i] - e), `${label}[${i}]`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
  }
}

describe('tradewind indicators', () => {
  const s = series();

  it('adds the named columns, empty until warm, equal to TA-Lib', async () => {
    const r = await indicators({ 'b.csv': s.csv }, ['--input', 'b.csv', '--spec', 'rsi(14),macd(12,26,9),bbands(20,2),atr(14)']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [head, first] = r.out.split('\n');
    expect(head).toBe(
      'timestamp,open,high,low,close,volume,trades,rsi_14,macd_12_26_9,macd_signal_12_26_9,macd_hist_12_26_9,bbands_upper_20_2,bbands_middle_20_2,bbands_lower_20_2,atr_14',
    );
    // Input cells are kept as written; nothing is warm on the first bar.
    expect(first).toBe(`${s.csv.split('\n')[1]},,,,,,,,`);
    const hlc = { high: s.h, low: s.l, close: s.c };
    expectClose(column(r.out, 'rsi_14'), talib('RSI', { inReal: s.c }, { optInTimePeriod: 14 }).outputs.outReal, 'rsi');
    const macd = talib('MACD', { inReal: s.c }, { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }).outputs;
    expectClose(column(r.out, 'macd_12_26_9'), macd.outMACD, 'macd');
    expectClose(column(r.out, 'macd_signal_12_26_9'), macd.outMACDSignal, 'macd signal');
    expectClose(column(r.out, 'macd_hist_12_26_9'), macd.outMACDHist, 'macd hist');
    const bb = talib('BBANDS', { inReal: s.c }, { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 }).outputs;
    expectClose(column(r.out, 'bbands_upper_20_2'), bb.outRealUpperBand, 'bb upper');
    expectClose(column(r.out, 'bbands_middle_20_2'), bb.outRealMiddleBand, 'bb middle');
    expectClose(column(r.out, 'bbands_lower_20_2'), bb.outRealLowerBand, 'bb lower');
    expectClose(column(r.out, 'atr_14'), talib('ATR', hlc, { optInTimePeriod: 14 }).outputs.outReal, 'atr');
  });

  it('prints floats with full round-trip precision', async () => {
    const r = await indicators({ 'b.csv': s.csv }, ['--input', 'b.csv', '--spec', 'sma(3)']);
    const cells = r.out.trim().split('\n').slice(1).map((l) => l.split(',').at(-1)!);
    expect(cells.slice(0, 2)).toEqual(['', '']);
    // (a + b + c) / 3 has more digits than a short format would keep; String() keeps exactly the double.
    const expected = s.c.slice(0, 3).reduce((x, y) => x + y, 0) / 3;
    expect(Math.abs(Number(cells[2]) - expected)).toBeLessThanOrEqual(1e-12 * expected);
    expect(cells.slice(2).every((c) => String(Number(c)) === c)).toBe(true);
    expect(cells.some((c) => c.replace(/^\d+\./, '').length >= 12)).toBe(true);
  });

  it('passes the bar time to the session-anchored VWAP and accepts a date column', async () => {
    const csv = 'date,open,high,low,close,volume\n0,1,3,1,2,10\n60000,2,4,2,3,10\n86400000,5,5,5,5,1\n';
    const r = await indicators({ 'b.csv': csv, 'o.csv': 'old' }, ['--input', 'b.csv', '--spec', 'vwap,obv', '--output', 'o.csv']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'o.csv'), 'utf8')).toBe('date,open,high,low,close,volume,vwap_1440_0,obv\n0,1,3,1,2,10,2,10\n60000,2,4,2,3,10,2.5,20\n86400000,5,5,5,5,1,5,21\n');
  });

  it('fails on bad cells and time going backwards naming file, line and column; skips them with --skip-bad', async () => {
    const bad = s.csv.replace(`${T0 + 120000},`, `${T0 + 120000}x,`);
    const r = await indicators({ 'b.csv': bad }, ['--input', 'b.csv', '--spec', 'rsi', '--output', 'o.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/b\.csv: line 4, column 1 \(timestamp\): not a decimal number/);
    expect(existsSync(join(r.dir, 'o.csv'))).toBe(false);
    const back = `${s.csv}${T0},1,1,1,1,1,1\n${T0 + N * 60000},1,1,1,nan,1,1\n`;
    const r2 = await indicators({ 'b.csv': back }, ['--input', 'b.csv', '--spec', 'rsi']);
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/line 82, column 1 \(timestamp\): \d+ is before the previous bar's/);
    const r3 = await indicators({ 'b.csv': back }, ['--input', 'b.csv', '--spec', 'rsi', '--skip-bad']);
    expect(r3.code).toBe(0);
    expect(r3.err).toMatch(/^skipped 2 bad rows in b\.csv/);
    expect(r3.err).toMatch(/line 83, column 5 \(close\): not a number: "nan"/);
    expect(r3.out.trim().split('\n')).toHaveLength(N + 1);
  });

  it('fails on missing columns, empty files, a clashing column and a bad spec', async () => {
    const cases: [Record<string, string>, string[], RegExp][] = [
      [{ 'b.csv': 'timestamp,open,high,low,close\n1,1,1,1,1\n' }, ['--spec', 'rsi'], /line 1, column 6 \(volume\): missing column volume/],
      [{ 'b.csv': '' }, ['--spec', 'rsi'], /b\.csv: line 1, column 1 \(timestamp\): empty file/],
      [{ 'b.csv': 'timestamp,open,high,low,close,volume\n' }, ['--spec', 'rsi'], /b\.csv: line 2, column 1 \(timestamp\): empty file: a header but no rows/],
      [{ 'b.csv': 'timestamp,open,high,low,close,volume,RSI_14\n1,1,1,1,1,1,1\n' }, ['--spec', 'rsi'], /line 1, column 7 \(rsi_14\): the input already has a column rsi_14/],
      [{ 'b.csv': s.csv }, ['--spec', 'nope(3)'], /^tradewind indicators: --spec: unknown indicator "nope"/],
      [{ 'b.csv': s.csv }, [], /--spec is required/],
      [{ 'b.csv': s.csv }, ['--spec', 'rsi', '--x'], /^tradewind indicators: /],
    ];
    for (const [files, args, msg] of cases) {
      const r = await indicators(files, ['--input', 'b.csv', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
    const noInput = await indicators({}, ['--spec', 'rsi']);
    expect(noInput.err).toMatch(/--input <bars.csv> is required/);
  });

  it('quotes input cells that need it', async () => {
    const csv = 'timestamp,open,high,low,close,volume,note\n1,1,1,1,1,1,"a, ""b"""\n';
    const r = await indicators({ 'b.csv': csv }, ['--input', 'b.csv', '--spec', 'obv']);
    expect(r.out).toBe('timestamp,open,high,low,close,volume,note,obv\n1,1,1,1,1,1,"a, ""b""",1\n');
  });

  it('the column names docs/bars.md shows are the ones the registry makes, and --help lists every indicator', async () => {
    const doc = readFileSync(new URL('../../../docs/bars.md', import.meta.url), 'utf8');
    const table = doc.slice(doc.indexOf('| spec | columns |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const [specCell, columnsCell] = row.split(' | ');
      const specs = [...specCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      const documented = [...columnsCell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      expect(documented, row).toEqual(specs.flatMap((x) => parseIndicatorSpec(x)[0].columns));
    }
    const help = await indicators({}, ['--help']);
    for (const d of indicatorDefinitions) expect(help.out).toContain(parseIndicatorSpec(d.name)[0].columns.join(', '));
  });
  it('runs as a real process', async () => {
    const dir = tempDirWith({ 'b.csv': 'timestamp,open,high,low,close,volume\n0,1,1,1,1,5\n60000,2,2,2,2,5\n' });
    const root = join(import.meta.dirname, '../../..');
    const { stdout } = await promisify(execFile)('npx', ['tsx', join(root, 'src/cli/main.ts'), 'indicators', '--input', join(dir, 'b.csv'), '--spec', 'mom(1)'], { cwd: root });
    expect(stdout).toBe('timestamp,open,high,low,close,volume,mom_1\n0,1,1,1,1,5,\n60000,2,2,2,2,5,1\n');
  });
});
