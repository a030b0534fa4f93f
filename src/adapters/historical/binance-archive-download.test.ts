import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archivePath, datesBetween, downloadBinanceArchive } from './binance-archive-download.js';

/** A local HTTP server in the archive's layout, with Range support and a switch that cuts a body short. */
function archiveServer(files: Map<string, Buffer>, checksums: Map<string, string>) {
  const state = { cutNext: new Set<string>(), requests: [] as string[], ignoreRange: false };
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).slice(1);
    state.requests.push(`${req.headers.range ?? ''} ${path}`);
    if (path.endsWith('.CHECKSUM')) {
      const sum = checksums.get(path.slice(0, -'.CHECKSUM'.length));
      if (sum === undefined) return res.writeHead(404).end();
      return res.writeHead(200).end(`${sum}  ${path.split('/').pop()?.replace('.CHECKSUM', '')}\n`);
    }
    const body = files.get(path);
    if (body === undefined) return res.writeHead(404).end();
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range !== null && !state.ignoreRange) {
      const start = Number(range[1]);
      if (start >= body.length) return res.writeHead(416).end();
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
      return res.end(body.subarray(start));
    }
    if (state.cutNext.delete(path)) {
      // Send half, then drop the connection: the client is left with a partial file.
      res.writeHead(200, { 'content-length': body.length });
      res.write(body.subarray(0, body.length >> 1), () => setTimeout(() => res.destroy(), 150));
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  return { server, state };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('Binance archive download', () => {
  const files = new Map<string, Buffer>();
  const checksums = new Map<string, string>();
  const req = { symbol: 'BTCUSDT', kind: 'klines', interval: '1m', market: 'spot' } as const;
  const day1 = archivePath(req, '2024-01-01');
  const day2 = archivePath(req, '2024-01-02');
  const day3 = archivePath(req, '2024-01-03');
  files.set(day1, Buffer.from('a'.repeat(100_000)));
  files.set(day2, Buffer.from('b'.repeat(50_000)));
  checksums.set(day1, sha(files.get(day1) as Buffer));
  checksums.set(day2, sha(files.get(day2) as Buffer));
  const { server, state } = archiveServer(files, checksums);
  let baseUrl = '';

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lays out paths as the archive does', () => {
    expect(day1).toBe('data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01-01.zip');
    expect(archivePath({ symbol: 'ethusdt', kind: 'aggTrades', market: 'futures' }, '2024-02-29')).toBe(
      'data/futures/um/daily/aggTrades/ETHUSDT/ETHUSDT-aggTrades-2024-02-29.zip',
    );
    expect(() => archivePath({ symbol: 'BTCUSDT', kind: 'klines', market: 'spot' }, '2024-01-01')).toThrow(/interval/);
    expect(() => archivePath({ symbol: '../x', kind: 'trades', market: 'spot' }, '2024-01-01')).toThrow(/symbol/);
    expect(datesBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(() => datesBetween('2024-03-01', '2024-02-01')).toThrow(/before/);
    expect(() => datesBetween('2024-3-1', '2024-03-02')).toThrow(/--from/);
  });

  it('downloads, verifies, reports missing days, and skips verified files on a second run', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tw-archive-'));
    const outcomes = await downloadBinanceArchive({ ...req, from: '2024-01-01', to: '2024-01-03', outDir, baseUrl });
    expect(outcomes.map((o) => o.status)).toEqual(['downloaded', 'downloaded', 'missing']);
    expect(readFileSync(join(outDir, day1)).equals(files.get(day1) as Buffer)).toBe(true);
    expect(existsSync(join(outDir, day3))).toBe(false);
    const again = await downloadBinanceArchive({ ...req, from: '2024-01-01', to: '2024-01-02', outDir, baseUrl });
    expect(again.map((o) => o.status)).toEqual(['present', 'present']);
  });

  it('resumes an interrupted download with a Range request', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tw-archive-'));
    state.cutNext.add(day1);
    const first = await downloadBinanceArchive({ ...req, from: '2024-01-01', to: '2024-01-01', outDir, baseUrl });
    expect(first[0].status, JSON.stringify(first[0])).toBe('failed');
    expect(statSync(join(outDir, `${day1}.part`)).size).toBe(50_000);
    state.requests.length = 0;
    const second = await downloadBinanceArchive({ ...req, from: '2024-01-01', to: '2024-01-01', outDir, baseUrl });
    expect(second[0]).toMatchObject({ status: 'downloaded', bytes: 100_000 });
    expect((second[0] as { resumedFrom: number }).resumedFrom).toBeGreaterThan(0);
    expect(state.requests.some((r) => r.startsWith('bytes='))).toBe(true);
    expect(readFileSync(join(outDir, day1)).equals(files.get(day1) as Buffer)).toBe(true);
  });

  it('starts over when the server ignores Range, and never keeps a file whose checksum is wrong', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tw-archive-'));
    mkdirSync(dirname(join(outDir, day2)), { recursive: true });
    writeFileSync(join(outDir, `${day2}.part`), 'bbbb');
    state.ignoreRange = true;
    const ok = await downloadBinanceArchive({ ...req, from: '2024-01-02', to: '2024-01-02', outDir, baseUrl });
    state.ignoreRange = false;
    expect(ok[0]).toMatchObject({ status: 'downloaded', bytes: 50_000, resumedFrom: 0 });

    checksums.set(day2, 'f'.repeat(64));
    const outDir2 = mkdtempSync(join(tmpdir(), 'tw-archive-'));
    const bad = await downloadBinanceArchive({ ...req, from: '2024-01-02', to: '2024-01-02', outDir: outDir2, baseUrl });
    expect(bad[0].status).toBe('failed');
    expect((bad[0] as { reason: string }).reason).toMatch(/checksum mismatch/);
    expect(existsSync(join(outDir2, day2))).toBe(false);
    expect(existsSync(join(outDir2, `${day2}.part`))).toBe(false);
    // A corrupt file already in place is replaced, not trusted.
    checksums.set(day2, sha(files.get(day2) as Buffer));
    writeFileSync(join(outDir, day2), 'corrupt');
    const fixed = await downloadBinanceArchive({ ...req, from: '2024-01-02', to: '2024-01-02', outDir, baseUrl });
    expect(fixed[0].status).toBe('downloaded');
  });
});
