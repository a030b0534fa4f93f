import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';

const M = 60_000;
const T0 = 1570752000000; // a 5-minute boundary

const BARS_1M = [
  'timestamp,open,high,low,close,volume,trades',
  `${T0},1.10,1.20,1.00,1.15,10.5,3`,
  `${T0 + M},1.15,1.30,1.15,1.25,2,1`,
  `${T0 + 4 * M},1.25,1.25,0.90,0.95,1.25,2`,
  `${T0 + 5 * M},0.95,1.00,0.95,1.00,4,1`,
  `${T0 + 11 * M},1.01,1.02,1.01,1.02,1,1`,
  '',
].join('\n');

async function resample(files: Record<string, string>, args: string[]) {
  const dir = tempDirWith(files);
  const io = captureIo(dir);
  const code = await runCli(['resample', ...args], io);
  return { code, out: io.out(), err: io.err(), dir };
}

describe('tradewind resample', () => {
  it('merges 1m bars into 5m bars, summing volume and trades', async () => {
    const r = await resample({ 'b.csv': BARS_1M }, ['--input', 'b.csv', '--interval', '5m']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'timestamp,open,high,low,close,volume,trades',
        `${T0},1.10,1.30,0.90,0.95,13.75,6`,
        `${T0 + 5 * M},0.95,1.00,0.95,1.00,4.00,1`,
        `${T0 + 10 * M},1.01,1.02,1.01,1.02,1.00,1`,
        '',
      ].join('\n'),
    );
  });

  it('keeps the header without trades when the input has none, and accepts freqtrade\'s date column', async () => {
    const csv = 'date,open,high,low,close,volume\n0,1,2,1,2,1.0\n60000,2,3,2,3,2\n3600000,3,3,3,3,0.5\n';
    const r = await resample({ 'b.csv': csv }, ['--input', 'b.csv', '--interval', '1h', '--output', 'o.csv']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(r.dir, 'o.csv'), 'utf8')).toBe('timestamp,open,high,low,close,volume\n0,1,3,1,3,3.0\n3600000,3,3,3,3,0.5\n');
  });

  it('refuses a target that is not a multiple of the inferred input interval, writing nothing', async () => {
    const r = await resample({ 'b.csv': BARS_1M.replace(`${T0 + M},`, `${T0 + 2 * M},`) }, ['--input', 'b.csv', '--interval', '3m', '--output', 'o.csv']);
    expect(r.code).toBe(0);
    const bad = await resample({ 'b.csv': BARS_1M }, ['--input', 'b.csv', '--interval', '90s', '--output', 'o.csv']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/b\.csv: line 3, column 1 \(timestamp\): --interval 90s is not a whole multiple of the input's interval \(the input's interval is taken as 1m/);
    expect(existsSync(join(bad.dir, 'o.csv'))).toBe(false);
    // 1m bars that open half a minute past the minute would straddle 5m boundaries: refused, not guessed.
    const offset = 'timestamp,open,high,low,close,volume\n30000,1,1,1,1,1\n90000,1,1,1,1,1\n270000,1,1,1,1,1\n';
    const shifted = await resample({ 'b.csv': offset }, ['--input', 'b.csv', '--interval', '5m']);
    expect(shifted.code).toBe(2);
    expect(shifted.err).toMatch(/line 3, column 1 \(timestamp\): the bar times are not all multiples of the input's interval \(the input's interval is taken as 1m/);
    const declared = await resample({ 'b.csv': offset }, ['--input', 'b.csv', '--interval', '5m', '--input-interval', '30s']);
    expect(declared.code).toBe(0);
  });

  it('checks a declared input interval up front and the alignment of every row', async () => {
    const notMultiple = await resample({ 'b.csv': BARS_1M }, ['--input', 'b.csv', '--interval', '7m', '--input-interval', '5m']);
    expect(notMultiple.code).toBe(2);
    expect(notMultiple.err).toMatch(/7m is not a whole multiple of 5m/);
    const misaligned = await resample({ 'b.csv': BARS_1M }, ['--input', 'b.csv', '--interval', '10m', '--input-interval', '5m']);
    expect(misaligned.code).toBe(2);
    expect(misaligned.err).toMatch(/line 3, column 1 \(timestamp\): \d+ is not aligned to the input interval 5m/);
  });

  it('treats time going backwards, repeated times and impossible bars as bad rows', async () => {
    const back = `${BARS_1M}${T0 + 3 * M},1,1,1,1,1,1\n`;
    const r = await resample({ 'b.csv': back }, ['--input', 'b.csv', '--interval', '5m']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/b\.csv: line 7, column 1 \(timestamp\): \d+ is before the previous bar's/);
    const repeat = await resample({ 'b.csv': `${BARS_1M}${T0 + 11 * M},1,1,1,1,1,1\n` }, ['--input', 'b.csv', '--interval', '5m']);
    expect(repeat.err).toMatch(/is the same time as the previous bar's/);
    const skipped = await resample({ 'b.csv': `${back}${T0 + 20 * M},1,0.5,1,1,1,1\n${T0 + 21 * M},1,1,1,1,x,1\n` }, ['--input', 'b.csv', '--interval', '5m', '--skip-bad']);
    expect(skipped.code).toBe(0);
    expect(skipped.err).toMatch(/^skipped 3 bad rows in b\.csv/);
    expect(skipped.err).toMatch(/line 8, column 3 \(high\)/);
    expect(skipped.err).toMatch(/line 9, column 6 \(volume\)/);
    expect(skipped.out.trim().split('\n')).toHaveLength(4);
  });

  it('fails on an empty file, a header without rows and a missing column', async () => {
    for (const [text, msg] of [
      ['', /b\.csv: line 1, column 1 \(timestamp\): empty file/],
      ['timestamp,open,high,low,close,volume\n', /b\.csv: line 2, column 1 \(timestamp\): empty file: a header but no rows/],
      ['timestamp,open,high,low,close\n1,1,1,1,1\n', /line 1, column 6 \(volume\): missing column volume/],
    ] as const) {
      const r = await resample({ 'b.csv': text }, ['--input', 'b.csv', '--interval', '5m']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(msg);
    }
  });

  it('stops with exit code 2 naming the line when a summed volume no longer fits in 2^53', async () => {
    const r = await resample({ 'b.csv': 'timestamp,open,high,low,close,volume\n0,1,1,1,1,9007199254740990\n60000,1,1,1,1,5\n' }, ['--input', 'b.csv', '--interval', '5m']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/b\.csv: line 3: bar volume overflows 2\^53/);
  });

  it('rejects bad usage with exit code 2', async () => {
    for (const args of [[], ['--input', 'b.csv'], ['--input', 'b.csv', '--interval', '100tick'], ['--input', 'b.csv', '--interval', 'x'], ['--input', 'b.csv', '--interval', '5m', '--input-interval', '1m-bid'], ['--nope']]) {
      const r = await resample({ 'b.csv': BARS_1M }, args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^tradewind resample: /);
    }
  });
  it('runs as a real process', async () => {
    const dir = tempDirWith({ 'b.csv': BARS_1M });
    const root = join(import.meta.dirname, '../../..');
    const { stdout } = await promisify(execFile)('npx', ['tsx', join(root, 'src/cli/main.ts'), 'resample', '--input', join(dir, 'b.csv'), '--interval', '1h'], { cwd: root });
    expect(stdout).toBe(`timestamp,open,high,low,close,volume,trades\n${T0},1.10,1.30,0.90,1.02,18.75,8\n`);
  });
});
