/**
 * The Binance simulator in its own process for bench/pipeline.ts, so that generating and writing frames
 * does not share an event loop with the client being measured. Started with an IPC channel:
 *   argv: --symbols <n> --trade-rate <per symbol per second> --seed <n>
 *   sends { type: 'ready', restUrl, wsUrl } once listening, then on 'stats' replies
 *   { type: 'stats', framesOut, nowUs, wallMs, cpuMicros } (cpu of this process).
 * On 'go' the market starts and runs in real time (speed 1) as far as the CPU it gets allows.
 */
import { BinanceSimulator } from '../src/adapters/sim/binance/server.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const sim = await BinanceSimulator.start({
  symbols: arg('symbols', 1000),
  seed: arg('seed', 1),
  clock: 'manual',
  params: { tradeRate: arg('trade-rate', 10) },
  sendBufferBytes: 256 * 1024 * 1024,
});
// The market starts moving on 'go' (after the client has subscribed), in real time from then on. Each tick
// advances at most 20 ms of market time: on a machine too busy to keep up, the market falls behind real
// time instead of catching up in ever longer bursts that starve the sockets (the figures then say so).
let timer: NodeJS.Timeout | undefined;
function go(): void {
  const wall0 = Date.now();
  const sim0 = sim.nowUs;
  timer = setInterval(() => sim.advanceTo(Math.min(sim0 + (Date.now() - wall0) * 1000, sim.nowUs + 20_000)), 10);
}
process.on('message', (m) => {
  if (m === 'go' && timer === undefined) go();
  if (m === 'stats') {
    const cpu = process.cpuUsage();
    process.send?.({ type: 'stats', framesOut: sim.framesOut, nowUs: sim.nowUs, wallMs: Date.now(), cpuMicros: cpu.user + cpu.system });
  }
});
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
process.send?.({ type: 'ready', restUrl: sim.restUrl, wsUrl: sim.wsUrl });
