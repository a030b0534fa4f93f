import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RecordingClient } from '../../adapters/sim/testing/ws-client.js';
import type { CommandIo } from '../command.js';
import { runCli } from '../run.js';

function io(): CommandIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += String(d)));
  stderr.on('data', (d) => (err += String(d)));
  return { stdout, stderr, env: {}, cwd: process.cwd(), out: () => out, err: () => err };
}

async function waitFor(pred: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('tradewind sim', () => {
  it('prints its URLs and serves the Binance protocol until it stops', async () => {
    const cap = io();
    const done = runCli(['sim', '--symbols', 'BTCUSDT,ETHUSDT', '--seed', '3', '--duration', '1.5'], cap);
    await waitFor(() => cap.out().includes('WS_URL='));
    const ws = /WS_URL=(\S+)/.exec(cap.out())![1];
    const rest = /REST_URL=(\S+)/.exec(cap.out())![1];
    expect(ws).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const info = (await (await fetch(`${rest}/api/v3/exchangeInfo`)).json()) as { symbols: { symbol: string }[] };
    expect(info.symbols.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const c = await RecordingClient.open(`${ws}/ws/btcusdt@bookTicker`);
    await c.until(() => c.frames.length > 0, 5000);
    await c.close();
    expect(await done).toBe(0);
    expect(cap.out()).toContain('# stopped');
  });

  it('rejects bad options with exit code 2', async () => {
    for (const args of [['--venue', 'kraken'], ['--port', '70000'], ['--symbols', '0'], ['--speed', 'fast'], ['--bogus']]) {
      const cap = io();
      expect(await runCli(['sim', ...args], cap)).toBe(2);
      expect(cap.err()).toContain('tradewind sim:');
    }
  });

  it('runs as a real process and stops cleanly on SIGINT', async () => {
    // Its own process group, so that SIGINT reaches npx, tsx and node as it does from a terminal.
    const child = spawn('npx', ['tsx', 'src/cli/main.ts', 'sim', '--symbols', '3', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    await waitFor(() => out.includes('REST_URL='), 30_000);
    const rest = /REST_URL=(\S+)/.exec(out)![1];
    const time = (await (await fetch(`${rest}/api/v3/time`)).json()) as { serverTime: number };
    expect(time.serverTime).toBeGreaterThan(1_600_000_000_000);
    const exited = new Promise<string>((resolve) => child.on('exit', (code, signal) => resolve(String(code ?? signal))));
    process.kill(-child.pid!, 'SIGINT');
    // npx itself may end by the signal or report 130; the simulator closed cleanly when it printed "stopped".
    expect(['0', '130', 'SIGINT']).toContain(await exited);
    await waitFor(() => out.includes('# stopped'), 5000);
    expect(out).toContain('# stopped');
  }, 60_000);
});
