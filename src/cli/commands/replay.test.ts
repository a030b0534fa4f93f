import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, env: {}, cwd }, out: () => out, err: () => err };
}

const trade = (t: number, id: number, price: string, ms: number) =>
  `${t.toFixed(6)}: {"stream":"btcusdt@trade","data":{"e":"trade","E":${ms},"s":"BTCUSDT","t":${id},"p":"${price}","q":"1.00000000","T":${ms},"m":false,"M":true}}`;

describe('tradewind replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tw-replay-'));
  const lines = [
    'wss://stream.binance.com:9443/stream?streams=btcusdt@trade <-> 1700000000.000000',
    trade(1700000000.5, 1, '100.00000000', 1700000000400),
    trade(1700000000.9, 2, '101.00000000', 1700000000800),
    trade(1700000001.5, 3, '99.00000000', 1700000001400),
    trade(1700000002.5, 4, '98.00000000', 1700000002400),
  ];
  writeFileSync(join(dir, 'cap.gz'), gzipSync(`${lines.join('\n')}\n`));

  it('publishes trades and kernel-built bars, identically on every run, plain or to a file', async () => {
    const a = io(dir);
    expect(await runCli(['replay', '--venue', 'binance', '--capture', 'cap.gz', '--bars', '1s'], a.io)).toBe(0);
    const events = a.out().trim().split('\n').map((l) => JSON.parse(l) as { type: string; open?: string; tsOpen?: number; volume?: string });
    const bars = events.filter((e) => e.type === 'bar');
    expect(events.filter((e) => e.type === 'trade')).toHaveLength(4);
    expect(bars.map((b) => [b.tsOpen, b.open, b.volume])).toEqual([
      [1700000000000000, '100.00000000', '2.00000000'],
      [1700000001000000, '99.00000000', '1.00000000'],
    ]);
    expect(a.err()).toMatch(/replayed 4 frames: 4 events/);
    const b = io(dir);
    expect(await runCli(['replay', '--venue', 'binance', '--capture', 'cap.gz', '--bars', '1s', '--output', 'out.jsonl'], b.io)).toBe(0);
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe(a.out());
  });

  it('exits 2 on bad usage and unreadable captures', async () => {
    writeFileSync(join(dir, 'empty.txt'), '\n');
    for (const args of [
      ['--venue', 'kraken', '--capture', 'cap.gz'],
      ['--venue', 'binance'],
      ['--venue', 'binance', '--capture', 'missing'],
      ['--venue', 'binance', '--capture', 'empty.txt'],
      ['--venue', 'binance', '--capture', 'cap.gz', '--bars', '100tick'],
      ['--venue', 'binance', '--capture', 'cap.gz', '--bars', 'soon'],
    ]) {
      const t = io(dir);
      expect(await runCli(['replay', ...args], t.io), args.join(' ')).toBe(2);
    }
  });
});
