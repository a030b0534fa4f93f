/**
 * Frame to kernel latency (issue 3): 1,000 symbols from the simulator into the kernel at about 100,000
 * messages per second in total; goal p99 from frame received to domain event published under 200 µs.
 *
 * The Binance simulator runs in a child process (bench/sim-child.ts) in real time, so that it does not share
 * the event loop with the client measured here. This process runs the real BinanceDataClient (trade and
 * bookTicker streams of every symbol, placed on connections by the venue's streams-per-connection limit)
 * pushing into a DataEngine on an InProcessBus with a LiveClock, as `npm start` wires it. Per message:
 * `performance.now()` at the start of the client's `onFrame` (a subclass, as the recorder wraps it) and
 * again in a bus subscriber of the trade and quote topics; the difference is the latency. Each run is a
 * window of `--seconds` on the same connections; the table shows medians over `--runs` windows.
 * Reference: bare `JSON.parse` of the same frames (captured during warm-up), timed the same way per frame.
 *
 * `npm run bench -- pipeline [--symbols 1000] [--trade-rate 10] [--seconds 5] [--runs 3] [--warmup 3]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BinanceDataClient, type StreamSpec } from '../src/adapters/binance/data-client.js';
import { Cache } from '../src/kernel/cache.js';
import { InProcessBus } from '../src/kernel/bus/in-process-bus.js';
import { LiveClock } from '../src/kernel/clock/live-clock.js';
import { DataEngine } from '../src/kernel/data-engine.js';
import { topics } from '../src/kernel/topics.js';

interface ChildStats {
  readonly framesOut: number;
  readonly nowUs: number;
  readonly wallMs: number;
  readonly cpuMicros: number;
}

function arg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Dist {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Percentiles (µs) of the first `n` samples (ms) — nearest rank. */
function dist(samples: Float64Array, n: number): Dist {
  const xs = samples.slice(0, n).sort();
  const at = (q: number): number => xs[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] * 1000;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += xs[i];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: xs[n - 1] * 1000, mean: (sum / n) * 1000 };
}

async function startChild(symbols: number, tradeRate: number): Promise<{ child: ChildProcess; restUrl: string; wsUrl: string; stats: () => Promise<ChildStats> }> {
  const here = dirname(fileURLToPath(import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'sim-child.ts'), '--symbols', String(symbols), '--trade-rate', String(tradeRate)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ restUrl: string; wsUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { restUrl: string; wsUrl: string }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator child exited with ${code}`)));
  });
  const stats = (): Promise<ChildStats> =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as ChildStats));
      child.send('stats');
    });
  return { child, ...ready, stats };
}

export async function run(args: string[]): Promise<void> {
  const symbols = arg(args, 'symbols', 1000);
  const tradeRate = arg(args, 'trade-rate', 10);
  const seconds = arg(args, 'seconds', 5);
  const runs = arg(args, 'runs', 3);
  const warmup = arg(args, 'warmup', 3);

  const clock = new LiveClock();
  const bus = new InProcessBus({ clock });
  const cache = new Cache({ tickCapacity: 100, barCapacity: 10 });
  const engine = new DataEngine({ clock, bus, cache });
  engine.initialize();
  await engine.start();
  const sim = await startChild(symbols, tradeRate);

  // Hot path state: plain variables and one preallocated buffer, so measuring allocates nothing per message.
  const capacity = Math.ceil(seconds * 400_000);
  const latencies = new Float64Array(capacity);
  let n = 0;
  let recording = false;
  let frameStart = 0;
  const sample: string[] = [];
  let sampling = true;

  class TimedClient extends BinanceDataClient {
    override onFrame(text: string): void {
      frameStart = performance.now();
      if (sampling && sample.length < 50_000) sample.push(text);
      super.onFrame(text);
    }
  }
  const onEvent = (): void => {
    if (recording && n < capacity) latencies[n++] = performance.now() - frameStart;
  };
  bus.subscribe(topics.allTrades(), onEvent);
  bus.subscribe(topics.allQuotes(), onEvent);

  const client = new TimedClient(
    { market: 'spot', wsUrl: sim.wsUrl, restUrl: sim.restUrl, backfill: false },
    {
      clock: () => clock.now(),
      handlers: {
        onTrade: (t) => engine.process(t),
        onQuote: (q) => engine.process(q),
        onStatus: (s) => {
          if (s.type === 'connected') opened++;
          if (s.type === 'error' || s.type === 'disconnected') process.stderr.write(`pipeline: client ${JSON.stringify(s)}\n`);
        },
      },
    },
  );
  let connections = 0;
  let opened = 0;
  const rows: { rate: number; simRate: number; simSpeed: number; simCpu: number; d: Dist; cpu: number; events: number }[] = [];
  try {
    const info = await client.loadInstruments();
    const specs: StreamSpec[] = info.symbols.slice(0, symbols).flatMap((s) => [
      { symbol: s.symbol, kind: 'trade' as const },
      { symbol: s.symbol, kind: 'bookTicker' as const },
    ]);
    await client.subscribe(specs);
    // Resubscriptions of connections that were still opening finish before the market moves.
    // Every connection open, then time for its SUBSCRIBE requests (100 streams each, paced at 4 per second).
    const deadline = performance.now() + 120_000;
    while (opened < client.connectionCount) {
      if (performance.now() > deadline) throw new Error(`only ${opened} of ${client.connectionCount} connections opened after 120 s`);
      await sleep(100);
    }
    await sleep((Math.ceil(specs.length / client.connectionCount / 100) / 4 + 2) * 1000);
    connections = client.connectionCount;
    sim.child.send('go');
    await sleep(warmup * 1000);
    sampling = false;
    for (let r = 0; r < runs; r++) {
      n = 0;
      const s0 = await sim.stats();
      const f0 = client.frames;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      recording = true;
      await sleep(seconds * 1000);
      recording = false;
      const el = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const s1 = await sim.stats();
      rows.push({
        rate: (client.frames - f0) / el,
        simRate: (s1.framesOut - s0.framesOut) / ((s1.wallMs - s0.wallMs) / 1000),
        simSpeed: (s1.nowUs - s0.nowUs) / 1000 / (s1.wallMs - s0.wallMs),
        simCpu: (s1.cpuMicros - s0.cpuMicros) / 1000 / (s1.wallMs - s0.wallMs),
        d: dist(latencies, n),
        cpu: (cpu.user + cpu.system) / 1e6 / el,
        events: n,
      });
    }
  } finally {
    await client.stop();
    await engine.stop();
    await bus.close();
    clock.cancelTimers();
    sim.child.disconnect();
    sim.child.kill();
  }

  // Reference: JSON.parse of the same frames, timed per frame with the same timer.
  const ref: Dist[] = [];
  const per = new Float64Array(sample.length);
  let sink = 0;
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < sample.length; i++) {
      const t = performance.now();
      const o = JSON.parse(sample[i]) as { stream?: string };
      per[i] = performance.now() - t;
      if (o.stream !== undefined) sink++;
    }
    ref.push(dist(per, sample.length));
  }
  // Tight loop, in CPU time: on a shared machine wall time also counts the time other processes ran.
  const cpu0 = process.cpuUsage();
  let parsed = 0;
  while (sample.length > 0 && parsed < 2_000_000) {
    for (let i = 0; i < sample.length; i++) if ((JSON.parse(sample[i]) as { stream?: string }).stream !== undefined) sink++;
    parsed += sample.length;
    const c = process.cpuUsage(cpu0);
    if (c.user + c.system > 500_000) break;
  }
  const used = process.cpuUsage(cpu0);
  const batchMicros = (used.user + used.system) / parsed;

  const m = (f: (d: Dist) => number, ds: Dist[]): string => median(ds.map(f)).toFixed(1);
  const ds = rows.map((r) => r.d);
  const f = (x: number): string => Math.round(x).toLocaleString('en-US');
  process.stdout.write(
    `pipeline: ${symbols} symbols x (trade + bookTicker) on ${connections} connections, simulator in a child process at trade rate ${tradeRate}/s/symbol; ` +
      `${seconds}s x ${runs} windows after ${warmup}s warm-up (medians)\n`,
  );
  const head = ['', 'msgs/s', 'p50 µs', 'p90 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'mean µs'];
  const line = (cells: string[]): void => void process.stdout.write(`${cells[0].padEnd(34)}${cells.slice(1).map((c) => c.padStart(11)).join('')}\n`);
  line(head);
  line(['frame -> bus event (Tradewind)', f(median(rows.map((r) => r.rate))), m((d) => d.p50, ds), m((d) => d.p90, ds), m((d) => d.p99, ds), m((d) => d.p999, ds), m((d) => d.max, ds), m((d) => d.mean, ds)]);
  line(['JSON.parse of the same frames', `${f(1e6 / batchMicros)}*`, m((d) => d.p50, ref), m((d) => d.p90, ref), m((d) => d.p99, ref), m((d) => d.p999, ref), m((d) => d.max, ref), batchMicros.toFixed(2)]);
  line(['goal (issue 3)', '100,000', '', '', '200', '', '', '']);
  process.stdout.write('* JSON.parse: frames per CPU-second in a tight loop; its percentiles are per call with the same timer as the pipeline\n');
  process.stdout.write(
    `per window: ${rows.map((r) => `${f(r.rate)} msg/s (sim wrote ${f(r.simRate)}/s at ${r.simSpeed.toFixed(2)}x real time, sim CPU ${(r.simCpu * 100).toFixed(0)}%), p99 ${r.d.p99.toFixed(1)} µs, client process CPU ${(r.cpu * 100).toFixed(0)}% = ${((r.cpu * 1e6) / r.rate).toFixed(1)} CPU-µs per message`).join('; ')}\n` +
      `client CPU per message (socket, frame decode, parse, kernel, timing) median ${median(rows.map((r) => (r.cpu * 1e6) / r.rate)).toFixed(1)} µs: one free core would carry about ${f(1e6 / median(rows.map((r) => (r.cpu * 1e6) / r.rate)))} msg/s\n` +
      `p99/JSON.parse p99 = ${(median(ds.map((d) => d.p99)) / median(ref.map((d) => d.p99))).toFixed(1)}x; JSON.parse in a tight loop ${batchMicros.toFixed(2)} CPU-µs/frame (${f(parsed)} parses of ${f(sample.length)} captured frames) (checksum ${sink % 7})\n`,
  );
}
