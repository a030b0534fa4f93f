import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run.js';

function io(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { io: { stdout, stderr, env, cwd: process.cwd() }, out: () => out, err: () => err };
}

describe('tradewind data download', () => {
  const body = Buffer.from('1,2,3\n');
  const path = '/data/spot/daily/aggTrades/XRPETH/XRPETH-aggTrades-2019-10-11.zip';
  const server = createServer((req, res) => {
    if (req.url === `${path}.CHECKSUM`) return res.end(`${createHash('sha256').update(body).digest('hex')}  x.zip\n`);
    if (req.url === path) return res.end(body);
    res.writeHead(404).end();
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads the days the archive has and lists the ones it lacks', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tw-dl-'));
    const t = io({ TRADEWIND_BINANCE_ARCHIVE_URL: base });
    const code = await runCli(['data', 'download', '--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'aggTrades', '--from', '2019-10-11', '--to', '2019-10-12', '--out', out], t.io);
    expect(code).toBe(0);
    expect(t.out()).toMatch(/downloaded .*XRPETH-aggTrades-2019-10-11\.zip/);
    expect(t.out()).toMatch(/missing .*2019-10-12/);
    expect(t.out()).toMatch(/1 of 2 days/);
    expect(readFileSync(join(out, path.slice(1))).equals(body)).toBe(true);
  });

  it('exits 1 when no day exists and 2 on bad usage', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tw-dl-'));
    const none = io();
    expect(await runCli(['data', 'download', '--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'trades', '--from', '2019-10-11', '--to', '2019-10-11', '--out', out, '--base-url', base], none.io)).toBe(1);
    for (const args of [
      ['--venue', 'kraken', '--symbol', 'X', '--kind', 'trades', '--from', '2019-10-11', '--to', '2019-10-11'],
      ['--venue', 'binance', '--kind', 'trades', '--from', '2019-10-11', '--to', '2019-10-11'],
      ['--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'bars', '--from', '2019-10-11', '--to', '2019-10-11'],
      ['--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'klines', '--from', '2019-10-11', '--to', '2019-10-11'],
      ['--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'trades', '--from', '2019-10-12', '--to', '2019-10-11'],
      ['--venue', 'binance', '--symbol', 'XRPETH', '--kind', 'trades', '--market', 'options', '--from', '2019-10-11', '--to', '2019-10-11'],
    ]) {
      const t = io();
      expect(await runCli(['data', 'download', ...args, '--out', out, '--base-url', base], t.io), args.join(' ')).toBe(2);
      expect(t.err()).toMatch(/tradewind data download: /);
    }
  });
});
