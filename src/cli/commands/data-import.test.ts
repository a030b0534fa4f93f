import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';

// 2024-01-01 00:00 UTC in ms.
const T0 = 1704067200000;
const MIN = 60_000;

/** 1m bars over two hours with hand-checkable values: close = open + 1 cent, volume 1.5 each. */
function minuteBars(count: number): string {
  const lines = ['timestamp,open,high,low,close,volume,trades'];
  for (let i = 0; i < count; i++) {
    const open = 100 + i;
    lines.push(`${T0 + i * MIN},${open}.00,${open + 2}.50,${open - 1}.25,${open}.01,1.5,3`);
  }
  return `${lines.join('\n')}\n`;
}

const TRADES = [
  'timestamp,price,size,side,id',
  `${T0 + 1000},42000.5,0.010,buy,1001`,
  `${T0 + 2000},42001,0.5,sell,1002`,
  `${T0 + 61000},41999.25,1,,1003`,
  '',
].join('\n');

const TRADES_NO_ID = ['timestamp,price,size', `${T0},1.5,2`, `${T0},1.6,3`, `${T0 + 5},1.7,1`, ''].join('\n');

const BAD = [
  'timestamp,price,size,side,id',
  `${T0 + 1000},42000.5,0.010,buy,2001`,
  `${T0 + 2000},abc,0.5,sell,2002`,
  `${T0 + 3000},42000,0.5,sideways,2003`,
  `${T0 + 4000},42000`,
  '',
].join('\n');

function setup(files: Record<string, string>) {
  const dir = tempDirWith(files);
  const env = { TRADEWIND_HOME: join(dir, 'var') };
  const cli = async (...args: string[]) => {
    const io = { ...captureIo(dir), env };
    const code = await runCli(args, io);
    return { code, out: io.out(), err: io.err() };
  };
  return { dir, env, cli };
}

// Every command opens the on-disk PGlite database afresh (the first one also creates it): seconds each.
describe('tradewind data import / export, db migrate / maintain (PGlite under $TRADEWIND_HOME)', { timeout: 120_000 }, () => {
  const { dir, env, cli } = setup({
    'bars.csv': minuteBars(120),
    'trades.csv': TRADES,
    'noid.csv': TRADES_NO_ID,
    'bad.csv': BAD,
    'misaligned.csv': `timestamp,open,high,low,close,volume\n${T0 + 30_000},1,2,1,2,1\n`,
  });

  it('db migrate applies the migrations once', async () => {
    const first = await cli('db', 'migrate');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/applied 1, 2, 3, 4, 5, 6; schema version 6/);
    const again = await cli('db', 'migrate');
    expect(again.out).toMatch(/up to date; schema version 6/);
    expect((await cli('db', 'migrate', 'extra')).code).toBe(2);
  });

  it('imports 1m bars, rolls them up, and re-importing changes nothing', async () => {
    const r = await cli('data', 'import', '--venue', 'csv', '--kind', 'bars', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1m', 'bars.csv');
    expect(r.err).toMatch(/importing into PGlite/);
    expect(r.code).toBe(0);
    expect(r.out).toBe('bars.csv: 120 rows, 120 inserted, 0 already present\n');
    const again = await cli('data', 'import', '--venue', 'csv', '--kind', 'bars', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1m', 'bars.csv');
    expect(again.out).toBe('bars.csv: 120 rows, 0 inserted, 120 already present\n');

    const hourly = await cli('data', 'export', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1h', '--from', '2024-01-01', '--to', '2024-01-02');
    expect(hourly.code).toBe(0);
    // hour 0: minutes 0..59, open 100.00, close 159.01, high 161.50, low 99.25, volume 60 * 1.5, trades 180
    expect(hourly.out).toBe(
      ['timestamp,open,high,low,close,volume,trades', `${T0},100.00,161.50,99.25,159.01,90.0,180`, `${T0 + 60 * MIN},160.00,221.50,159.25,219.01,90.0,180`, ''].join('\n'),
    );
    const json = await cli('data', 'export', '--instrument', 'BTCUSDT.BINANCE', '--spec', '15m', '--from', String(T0 + 15 * MIN), '--to', String(T0 + 30 * MIN), '--format', 'json');
    expect(JSON.parse(json.out)).toEqual([{ timestamp: T0 + 15 * MIN, open: '115.00', high: '131.50', low: '114.25', close: '129.01', volume: '22.5', trades: 45 }]);
    const file = await cli('data', 'export', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1m', '--from', '2024-01-01T00:00', '--to', '2024-01-01T00:02', '--output', 'out.csv');
    expect(file.out).toBe('');
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(
      ['timestamp,open,high,low,close,volume,trades', `${T0},100.00,102.50,99.25,100.01,1.5,3`, `${T0 + MIN},101.00,103.50,100.25,101.01,1.5,3`, ''].join('\n'),
    );
    const none = await cli('data', 'export', '--instrument', 'NOPE.BINANCE', '--spec', '1m', '--from', '2024-01-01', '--to', '2024-01-02', '--format', 'json');
    expect(none.out).toBe('[]\n');
  });

  it('imports trades, with ids made up from the timestamp when the file has none', async () => {
    const r = await cli('data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'ETHUSDT.BINANCE', 'trades.csv', 'noid.csv');
    expect(r.code).toBe(0);
    expect(r.out).toBe('trades.csv: 3 rows, 3 inserted, 0 already present\nnoid.csv: 3 rows, 3 inserted, 0 already present\n');
    const again = await cli('data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'ETHUSDT.BINANCE', 'noid.csv');
    expect(again.out).toBe('noid.csv: 3 rows, 0 inserted, 3 already present\n');
  });

  it('rejects a file with bad rows as a whole, naming file, line and reason, and still imports the good files', async () => {
    const r = await cli('data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'SOLUSDT.BINANCE', 'bad.csv', 'trades.csv');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.csv: line 3, column 2 \(price\): .*abc/);
    expect(r.err).toMatch(/bad\.csv: line 4, column 4 \(side\): expected buy or sell/);
    expect(r.err).toMatch(/bad\.csv: line 5.*expected 5 cells, found 2/);
    expect(r.err).toMatch(/bad\.csv: rejected, nothing imported \(3 bad rows\)/);
    expect(r.out).toBe('trades.csv: 3 rows, 3 inserted, 0 already present\n');
    // the good first row of bad.csv was not stored: importing the good file again finds all 3 present and
    // the fixed bad file's row 2001 would be new
    const fixed = await cli('data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'SOLUSDT.BINANCE', 'trades.csv');
    expect(fixed.out).toBe('trades.csv: 3 rows, 0 inserted, 3 already present\n');
    const mis = await cli('data', 'import', '--venue', 'csv', '--kind', 'bars', '--instrument', 'SOLUSDT.BINANCE', '--spec', '1m', 'misaligned.csv');
    expect(mis.code).toBe(2);
    expect(mis.err).toMatch(/misaligned\.csv: line 2, column 1 \(timestamp\): not aligned to a 1m bar open time/);
    const missing = await cli('data', 'import', '--venue', 'csv', '--kind', 'bars', '--instrument', 'SOLUSDT.BINANCE', '--spec', '1m', 'nope.csv');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.csv: line 0: cannot read the file/);
  });

  it('reports bad usage with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['data', 'import', '--kind', 'trades', 'x.csv'], /--venue is required/],
      [['data', 'import', '--venue', 'kraken', '--kind', 'trades', 'x.csv'], /--venue must be csv, binance, binance-futures or polygon/],
      [['data', 'import', '--venue', 'binance', '--kind', 'trades', 'x.csv'], /x\.csv: no such file/],
      [['data', 'import', '--venue', 'csv', '--kind', 'ticks', 'x.csv'], /--kind must be trades or bars/],
      [['data', 'import', '--venue', 'csv', '--kind', 'trades', 'x.csv'], /--instrument/],
      [['data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'BAD', 'x.csv'], /InstrumentId/],
      [['data', 'import', '--venue', 'csv', '--kind', 'bars', '--instrument', 'A.B', 'x.csv'], /--spec is required/],
      [['data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'A.B', '--spec', '1m', 'x.csv'], /--spec applies to bars only/],
      [['data', 'import', '--venue', 'csv', '--kind', 'trades', '--instrument', 'A.B'], /no input files/],
      [['data', 'import', '--bogus'], /bogus/],
      [['data', 'export', '--spec', '1m'], /--instrument is required/],
      [['data', 'export', '--instrument', 'A.B'], /--spec is required/],
      [['data', 'export', '--instrument', 'A.B', '--spec', '1m', '--to', '2024-01-01'], /--from is required/],
      [['data', 'export', '--instrument', 'A.B', '--spec', '1m', '--from', 'yesterday', '--to', '2024-01-01'], /--from: /],
      [['data', 'export', '--instrument', 'A.B', '--spec', '1m', '--from', '2024-01-02', '--to', '2024-01-01'], /--to must be after --from/],
      [['data', 'export', '--instrument', 'A.B', '--spec', '1m', '--from', '2024-01-01', '--to', '2024-01-02', '--format', 'xml'], /--format must be csv or json/],
      [['data', 'export', '--instrument', 'A.B', '--spec', 'weird', '--from', '2024-01-01', '--to', '2024-01-02'], /bar spec/],
      [['data', 'export', '--nope'], /nope/],
      [['db', 'maintain', '--now', 'soon'], /--now/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(re);
    }
  });

  it('db maintain creates partitions ahead of the given time', async () => {
    const r = await cli('db', 'maintain', '--now', '2030-06-15');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^bars: 2 created, 0 dropped$/m);
    expect(r.out).toMatch(/^trades: 3 created, 0 dropped$/m);
  });

  it('runs as a real process', async () => {
    const root = join(import.meta.dirname, '../../..');
    const { stdout } = await promisify(execFile)('npx', ['tsx', join(root, 'src/cli/main.ts'), 'data', 'export', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1d', '--from', '2024-01-01', '--to', '2024-01-02'], {
      cwd: root,
      env: { ...process.env, ...env, TRADEWIND_DATABASE_URL: '' },
    });
    expect(stdout).toBe(['timestamp,open,high,low,close,volume,trades', `${T0},100.00,221.50,99.25,219.01,180.0,360`, ''].join('\n'));
  }, 60_000);
});
