import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';

// 2019-10-11 00:00:00 UTC in ms, a minute boundary.
const T0 = 1570752000000;
const TRADES = [
  'timestamp,price,size,side,id',
  `${T0 + 1000},0.00141342,23.0,sell,1`,
  `${T0 + 2000},0.0014135,54,sell,2`,
  `${T0 + 59999},0.00141266,8.5,buy,3`,
  `${T0 + 60000},0.001414,1,buy,4`,
  `${T0 + 180500},0.0014,2,buy,5`,
  '',
].join('\n');

async function bars(files: Record<string, string>, args: string[]) {
  const dir = tempDirWith(files);
  const io = captureIo(dir);
  const code = await runCli(['bars', ...args], io);
  return { code, out: io.out(), err: io.err(), dir };
}

describe('tradewind bars', () => {
  it('writes 1m bars at the input precision, one per minute with trades', async () => {
    const r = await bars({ 't.csv': TRADES }, ['--input', 't.csv', '--interval', '1m']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'timestamp,open,high,low,close,volume,trades',
        `${T0},0.00141342,0.00141350,0.00141266,0.00141266,85.5,3`,
        `${T0 + 60000},0.00141400,0.00141400,0.00141400,0.00141400,1.0,1`,
        `${T0 + 180000},0.00140000,0.00140000,0.00140000,0.00140000,2.0,1`,
        '',
      ].join('\n'),
    );
  });

  it('writes flat bars for empty minutes with --flat', async () => {
    const r = await bars({ 't.csv': TRADES }, ['--input', 't.csv', '--interval', '1m', '--flat']);
    expect(r.out.split('\n')[3]).toBe(`${T0 + 120000},0.00141400,0.00141400,0.00141400,0.00141400,0.0,0`);
  });

  it('makes tick and volume bars and accepts the amount column of freqtrade files', async () => {
    const csv = TRADES.replace('size', 'amount');
    const tick = await bars({ 't.csv': csv }, ['--input', 't.csv', '--interval', '2tick']);
    expect(tick.out.trim().split('\n').slice(1)).toEqual([
      `${T0 + 1000},0.00141342,0.00141350,0.00141342,0.00141350,77.0,2`,
      `${T0 + 59999},0.00141266,0.00141400,0.00141266,0.00141400,9.5,2`,
      `${T0 + 180500},0.00140000,0.00140000,0.00140000,0.00140000,2.0,1`,
    ]);
    const vol = await bars({ 't.csv': csv }, ['--input', 't.csv', '--interval', '50volume']);
    expect(vol.out.trim().split('\n').slice(1).map((l) => l.split(',')[5])).toEqual(['50.0', '38.5']);
  });

  it('writes --output atomically and leaves no temporary file', async () => {
    const r = await bars({ 't.csv': TRADES }, ['--input', 't.csv', '--interval', '5m', '--output', 'out.csv']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(join(r.dir, 'out.csv'), 'utf8')).toBe(
      `timestamp,open,high,low,close,volume,trades\n${T0},0.00141342,0.00141400,0.00140000,0.00140000,88.5,5\n`,
    );
    expect(readdirSync(r.dir).sort()).toEqual(['out.csv', 't.csv']);
  });

  it('fails on an unparsable cell naming file, line and column, and writes nothing', async () => {
    const bad = TRADES.replace('0.0014135,54', '0.0014135,5x4');
    const r = await bars({ 't.csv': bad, 'out.csv': 'previous\n' }, ['--input', 't.csv', '--interval', '1m', '--output', 'out.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/t\.csv: line 3, column 3 \(size\): not a decimal number: "5x4"/);
    expect(readFileSync(join(r.dir, 'out.csv'), 'utf8')).toBe('previous\n');
    expect(readdirSync(r.dir).sort()).toEqual(['out.csv', 't.csv']);
  });

  it('skips and counts bad rows with --skip-bad', async () => {
    const bad = `${TRADES}${T0 + 1},oops,1,buy,9\n${T0 + 2},1,2\n`;
    const r = await bars({ 't.csv': bad }, ['--input', 't.csv', '--interval', '1m', '--skip-bad']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^skipped 2 bad rows in t\.csv:\n {2}t\.csv: line 7, column 2 \(price\)/);
    expect(r.err).toMatch(/line 8, column 4 \(side\): expected 5 cells, found 3/);
    expect(r.out.trim().split('\n')).toHaveLength(4);
  });

  it('treats time going backwards as a bad row', async () => {
    const back = `${TRADES}${T0 + 5},0.0014,1,buy,6\n`;
    const r = await bars({ 't.csv': back }, ['--input', 't.csv', '--interval', '1m']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/t\.csv: line 7, column 1 \(timestamp\): time goes backwards/);
    const skipped = await bars({ 't.csv': back }, ['--input', 't.csv', '--interval', '1m', '--skip-bad']);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toMatch(/skipped 1 bad row in/);
  });

  it('fails on a missing column, an empty file, a header without rows and a missing file', async () => {
    const missing = await bars({ 't.csv': 'timestamp,price\n1,2\n' }, ['--input', 't.csv', '--interval', '1m']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/t\.csv: line 1, column 3 \(size\): missing column size/);
    const empty = await bars({ 't.csv': '' }, ['--input', 't.csv', '--interval', '1m']);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/t\.csv: line 1, column 1 \(timestamp\): empty file/);
    const headerOnly = await bars({ 't.csv': 'timestamp,price,size\n' }, ['--input', 't.csv', '--interval', '1m', '--output', 'o.csv']);
    expect(headerOnly.code).toBe(2);
    expect(headerOnly.err).toMatch(/t\.csv: line 2, column 1 \(timestamp\): empty file: a header but no rows/);
    expect(existsSync(join(headerOnly.dir, 'o.csv'))).toBe(false);
    const none = await bars({}, ['--input', 'nope.csv', '--interval', '1m']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/nope\.csv: line 0: cannot read the file \(ENOENT\)/);
  });

  it('stops with exit code 2 naming the line when a bar volume no longer fits in 2^53', async () => {
    const r = await bars({ 't.csv': `timestamp,price,size\n1,1,9007199254740990\n2,1,5\n` }, ['--input', 't.csv', '--interval', '1m', '--skip-bad']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/t\.csv: line 3: bar volume overflows 2\^53/);
  });

  it('rejects bad usage with exit code 2', async () => {
    const cases = [[], ['--input', 't.csv'], ['--input', 't.csv', '--interval', '7x'], ['--input', 't.csv', '--interval', '1m-bid'], ['--input', 't.csv', '--interval', '5tick', '--flat'], ['--input', 't.csv', '--interval', '1m', '--bogus']];
    for (const args of cases) {
      const r = await bars({ 't.csv': TRADES }, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/^tradewind bars: /);
    }
    const value = await bars({ 't.csv': TRADES }, ['--input', 't.csv', '--interval', '1e12value']);
    expect(value.code).toBe(2);
    expect(value.err).toMatch(/too large/);
  });

  it('runs as a real process: success and exit code 2 on bad input', async () => {
    const dir = tempDirWith({ 't.csv': TRADES, 'bad.csv': 'timestamp,price,size\n1,x,1\n' });
    writeFileSync(join(dir, 'x'), '');
    const root = join(import.meta.dirname, '../../..');
    const exec = promisify(execFile);
    const ok = await exec('npx', ['tsx', join(root, 'src/cli/main.ts'), 'bars', '--input', join(dir, 't.csv'), '--interval', '1h'], { cwd: root });
    expect(ok.stdout).toBe(`timestamp,open,high,low,close,volume,trades\n${T0},0.00141342,0.00141400,0.00140000,0.00140000,88.5,5\n`);
    const failed = await exec('npx', ['tsx', join(root, 'src/cli/main.ts'), 'bars', '--input', join(dir, 'bad.csv'), '--interval', '1h'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect('code' in failed ? failed.code : 0).toBe(2);
    expect(failed.stderr).toMatch(/bad\.csv: line 2, column 2 \(price\): not a decimal number: "x"/);
  });
});
