import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCaptureFile, readJsonLines } from '../../adapters/recording/capture-reader.js';
import { replayCapture } from '../../adapters/recording/replay.js';
import { startSimulator, type SimHandle } from '../../adapters/sim/launch.js';
import { runCli } from '../run.js';

function io(cwd: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.resume();
  return { io: { stdout, stderr, env: {}, cwd }, out: () => out };
}

/** Records from the exchange simulator over real sockets, then replays the capture. */
describe('tradewind record', () => {
  let sim: SimHandle;
  beforeAll(async () => {
    sim = await startSimulator({ venue: 'binance', port: 0, seed: 7, symbols: ['BTCUSDT', 'ETHUSDT'], speed: 1 });
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('writes a capture whose replay reproduces the recorded trades and quotes exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-record-'));
    const t = io(dir);
    const code = await runCli(['record', '--venue', 'binance', '--symbols', 'btcusdt,ETHUSDT', '--out', 'rec', '--duration', '3', '--ws-url', sim.wsUrl, '--rest-url', sim.restUrl], t.io);
    expect(code).toBe(0);
    expect(t.out()).toMatch(/recorded \d+ frames/);
    const captureFile = t.out().split('\n').map((l) => l.trim()).find((l) => l.endsWith('.capture.gz')) as string;
    const eventsFile = captureFile.replace('.capture.gz', '.events.jsonl.gz');
    const capture = readCaptureFile(captureFile);
    expect(capture.badLines).toEqual([]);
    expect(capture.records[0].kind).toBe('http'); // exchangeInfo, before the socket opened
    expect(capture.records.some((r) => r.kind === 'connect')).toBe(true);
    const recorded = (readJsonLines(eventsFile) as { type: string }[]).filter((e) => e.type === 'trade' || e.type === 'quote');
    expect(recorded.length).toBeGreaterThan(10);
    const replayed: string[] = [];
    replayCapture('binance', capture.records, (e) => {
      if (e.type === 'trade' || e.type === 'quote') replayed.push(JSON.stringify(e));
    });
    expect(replayed).toEqual(recorded.map((e) => JSON.stringify(e)));
  }, 30_000);

  it('exits 2 on bad usage', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-record-'));
    for (const args of [[], ['--venue', 'kraken', '--symbols', 'X', '--out', 'o'], ['--venue', 'binance', '--out', 'o'], ['--venue', 'binance', '--symbols', 'BTC USDT', '--out', 'o'], ['--venue', 'binance', '--symbols', 'X'], ['--venue', 'binance', '--symbols', 'X', '--out', 'o', '--duration', '-1']]) {
      expect(await runCli(['record', ...args], io(dir).io), args.join(' ')).toBe(2);
    }
  });
});
