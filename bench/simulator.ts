/**
 * Exchange simulator throughput: 1,000 symbols (Binance spot), clients in a worker thread subscribed to
 * every symbol's trade, aggTrade, bookTicker and depth@100ms streams over real sockets. Reports
 *  - "max": frames per second the simulator generates, serialises and writes when run as fast as possible,
 *    and what the clients received;
 *  - "realtime": at 1x with order flow tuned to about 100,000 frames/s in total, whether it keeps up
 *    (frames/s delivered, simulated-time lag behind the wall clock).
 * No peer exists for this; the target from issue 3 is 100,000 frames/s for 1,000 symbols.
 *
 * `npm run bench -- simulator [--symbols 1000] [--seconds 5] [--runs 3]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BinanceSimulator } from '../src/adapters/sim/binance/server.js';

// The clients run in a child process so that the simulator's CPU time (process.cpuUsage) is its own.
const clientCode = `
const { WebSocket } = require('ws');
let frames = 0, bytes = 0, open = 0, urls = [];
process.on('message', (m) => {
  if (m === 'count') return process.send({ type: 'count', frames, bytes });
  urls = m.urls;
  for (const url of urls) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => { open++; if (open === urls.length) process.send({ type: 'open' }); });
    ws.on('message', (d) => { frames++; bytes += d.length; });
  }
});
`;

interface Counts {
  frames: number;
  bytes: number;
}

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

async function withClients<T>(sim: BinanceSimulator, body: (count: () => Promise<Counts>) => Promise<T>): Promise<T> {
  const streams = sim.market.symbols.flatMap((m) => [`${m.lower}@trade`, `${m.lower}@aggTrade`, `${m.lower}@bookTicker`, `${m.lower}@depth@100ms`]);
  const urls: string[] = [];
  for (let i = 0; i < streams.length; i += 1000) urls.push(`${sim.wsUrl}/stream?streams=${streams.slice(i, i + 1000).join('/')}`);
  const child: ChildProcess = spawn(process.execPath, ['-e', clientCode], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: process.cwd() });
  child.send({ urls });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('error', reject);
  });
  const count = (): Promise<Counts> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as Counts));
      child.send('count');
    });
  try {
    return await body(count);
  } finally {
    child.kill();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function maxRun(symbols: number, seconds: number): Promise<{ generated: number; received: number; simSeconds: number; perCpu: number }> {
  const sim = await BinanceSimulator.start({ clock: 'manual', symbols, seed: 1, startUs: Date.UTC(2024, 0, 1) * 1000, sendBufferBytes: 256 * 1024 * 1024 });
  try {
    return await withClients(sim, async (count) => {
      // Warm up (JIT, socket buffers) before measuring.
      sim.advance(1000);
      await new Promise((r) => setTimeout(r, 200));
      const c0 = await count();
      const f0 = sim.framesOut;
      const sim0 = sim.nowUs;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      while (performance.now() - t0 < seconds * 1000) {
        sim.advance(100);
        await new Promise((r) => setImmediate(r));
      }
      const cpu = process.cpuUsage(cpu0);
      const el = (performance.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 300));
      const c1 = await count();
      const frames = sim.framesOut - f0;
      return { generated: frames / el, received: (c1.frames - c0.frames) / el, simSeconds: (sim.nowUs - sim0) / 1e6, perCpu: frames / ((cpu.user + cpu.system) / 1e6) };
    });
  } finally {
    await sim.close();
  }
}

async function realtimeRun(symbols: number, seconds: number, tradeRate: number): Promise<{ delivered: number; received: number; lagMs: number; cpuShare: number }> {
  const sim = await BinanceSimulator.start({ clock: 'manual', symbols, seed: 1, params: { tradeRate }, sendBufferBytes: 256 * 1024 * 1024 });
  try {
    return await withClients(sim, async (count) => {
      const c0 = await count();
      const f0 = sim.framesOut;
      const cpu0 = process.cpuUsage();
      const wall0 = Date.now();
      const sim0 = sim.nowUs;
      let maxLag = 0;
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          const target = sim0 + (Date.now() - wall0) * 1000;
          sim.advanceTo(target);
          maxLag = Math.max(maxLag, (target - sim.nowUs) / 1000);
          if (Date.now() - wall0 >= seconds * 1000) {
            clearInterval(timer);
            resolve();
          }
        }, 10);
      });
      const cpu = process.cpuUsage(cpu0);
      const el = (Date.now() - wall0) / 1000;
      const lagMs = (sim0 + el * 1e6 - sim.nowUs) / 1000;
      await new Promise((r) => setTimeout(r, 300));
      const c1 = await count();
      return { delivered: (sim.framesOut - f0) / el, received: (c1.frames - c0.frames) / el, lagMs: Math.max(lagMs, maxLag), cpuShare: (cpu.user + cpu.system) / 1e6 / el };
    });
  } finally {
    await sim.close();
  }
}

export async function run(args: string[]): Promise<void> {
  const symbols = arg(args, 'symbols', 1000);
  const seconds = arg(args, 'seconds', 5);
  const runs = arg(args, 'runs', 3);
  const tradeRate = arg(args, 'trade-rate', 6);
  const max: Awaited<ReturnType<typeof maxRun>>[] = [];
  const rt: Awaited<ReturnType<typeof realtimeRun>>[] = [];
  for (let i = 0; i < runs; i++) {
    max.push(await maxRun(symbols, seconds));
    rt.push(await realtimeRun(symbols, seconds, tradeRate));
  }
  const f = (n: number): string => Math.round(n).toLocaleString('en-US');
  const rows = [
    ['mode', 'frames/s generated+written', 'frames/s received by clients', 'notes'],
    [
      'max speed',
      f(median(max.map((r) => r.generated))),
      f(median(max.map((r) => r.received))),
      `${(median(max.map((r) => r.simSeconds)) / seconds).toFixed(1)}x real time; ${f(median(max.map((r) => r.perCpu)))} frames per CPU-second of the simulator`,
    ],
    [
      'real time 1x',
      f(median(rt.map((r) => r.delivered))),
      f(median(rt.map((r) => r.received))),
      `lag ${median(rt.map((r) => r.lagMs)).toFixed(0)} ms; simulator CPU ${(median(rt.map((r) => r.cpuShare)) * 100).toFixed(0)}% of one core`,
    ],
    ['target (issue 3)', '100,000', '100,000', `${symbols} symbols`],
  ];
  process.stdout.write(`simulator: ${symbols} symbols, 4 streams each, ${seconds}s x ${runs} runs (medians)\n`);
  for (const r of rows) process.stdout.write(`${r[0].padEnd(18)} ${r[1].padStart(28)} ${r[2].padStart(30)}   ${r[3]}\n`);
}
