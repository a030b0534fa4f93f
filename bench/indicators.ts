/**
 * `npm run bench -- indicators [--points N] [--runs R] [--only a,b]`: updates per second of every indicator
 * in the registry on one seeded series (default one million bars), side by side with trading-signals
 * (streaming, `add`) and TA-Lib (batch C through the `talib` binding, timed per full-series call and converted
 * to updates/s), plus a bare Float64Array loop of the EMA and SMA arithmetic as the JavaScript limit.
 * Each figure is the median of R runs (default 5) after one warm-up run. The GCs column counts young-generation
 * collections (fewest of three more runs) of ours / the registry adapter / trading-signals: 0 means no allocation per
 * update (the peer's count shows that allocation does show up). Every loop is a separately compiled
 * function so that one indicator's call site never turns megamorphic through another's classes.
 */
import { PerformanceObserver, constants as perfConstants, performance } from 'node:perf_hooks';
import * as ts from 'trading-signals';
import {
  Adx,
  Adxr,
  Aroon,
  AroonOsc,
  Atr,
  BollingerBands,
  Cci,
  DEMA,
  Donchian,
  Dx,
  EMA,
  KAMA,
  Keltner,
  LinRegSlope,
  MACD,
  MOM,
  Mfi,
  MinusDi,
  Natr,
  Obv,
  PlusDi,
  ROC,
  RSI,
  SMA,
  Sar,
  StdDev,
  Stoch,
  StochRSI,
  TEMA,
  Vwap,
  WMA,
  WillR,
  findIndicator,
  indicatorDefinitions,
} from '../src/compute/indicators/index.js';
import type { Ohlcv } from '../src/compute/indicators/index.js';
import { randomOhlcv } from '../src/compute/indicators/testing/series.js';
import { talibReferences } from '../src/compute/indicators/testing/references.js';

interface Updatable {
  update(input: never): unknown;
}
interface Addable {
  add(input: never): unknown;
}

interface Entry {
  /** Our streaming class with the definition's default parameters, fed a close or a bar. */
  readonly ours: () => Updatable;
  readonly oursInput: 'close' | 'bar';
  readonly peer?: () => Addable;
  readonly peerInput?: 'close' | 'bar';
  /** What the peer computes when it is not the same indicator. */
  readonly peerNote?: string;
}

const entries: Record<string, Entry> = {
  sma: { ours: () => new SMA(20), oursInput: 'close', peer: () => new ts.SMA(20), peerInput: 'close' },
  ema: { ours: () => new EMA(20), oursInput: 'close', peer: () => new ts.EMA(20), peerInput: 'close' },
  wma: { ours: () => new WMA(20), oursInput: 'close', peer: () => new ts.WMA(20), peerInput: 'close' },
  dema: { ours: () => new DEMA(20), oursInput: 'close', peer: () => new ts.DEMA(20), peerInput: 'close' },
  tema: { ours: () => new TEMA(20), oursInput: 'close', peer: () => new ts.TEMA(20), peerInput: 'close' },
  kama: { ours: () => new KAMA(10), oursInput: 'close', peer: () => new ts.KAMA(10), peerInput: 'close' },
  rsi: { ours: () => new RSI(14), oursInput: 'close', peer: () => new ts.RSI(14), peerInput: 'close' },
  macd: {
    ours: () => new MACD(12, 26, 9),
    oursInput: 'close',
    peer: () => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)),
    peerInput: 'close',
  },
  bbands: { ours: () => new BollingerBands(20, 2), oursInput: 'close', peer: () => new ts.BollingerBands(20, 2), peerInput: 'close' },
  stddev: { ours: () => new StdDev(20, 1), oursInput: 'close' },
  linregslope: { ours: () => new LinRegSlope(14), oursInput: 'close', peer: () => new ts.LinearRegression(14), peerInput: 'close', peerNote: 'LinearRegression (slope+intercept)' },
  roc: { ours: () => new ROC(10), oursInput: 'close', peer: () => new ts.ROC(10), peerInput: 'close' },
  mom: { ours: () => new MOM(10), oursInput: 'close', peer: () => new ts.MOM(10), peerInput: 'close' },
  stochrsi: { ours: () => new StochRSI(14, 14, 3), oursInput: 'close', peer: () => new ts.StochasticRSI(14), peerInput: 'close' },
  atr: { ours: () => new Atr(14), oursInput: 'bar', peer: () => new ts.ATR(14), peerInput: 'bar' },
  natr: { ours: () => new Natr(14), oursInput: 'bar', peer: () => new ts.NATR(14), peerInput: 'bar' },
  adx: { ours: () => new Adx(14), oursInput: 'bar', peer: () => new ts.ADX(14), peerInput: 'bar' },
  plusdi: { ours: () => new PlusDi(14), oursInput: 'bar', peer: () => new ts.ADX(14), peerInput: 'bar', peerNote: 'ADX (has +DI)' },
  minusdi: { ours: () => new MinusDi(14), oursInput: 'bar', peer: () => new ts.ADX(14), peerInput: 'bar', peerNote: 'ADX (has -DI)' },
  dx: { ours: () => new Dx(14), oursInput: 'bar', peer: () => new ts.DX(14), peerInput: 'bar' },
  adxr: { ours: () => new Adxr(14), oursInput: 'bar', peer: () => new ts.ADXR(14), peerInput: 'bar' },
  aroon: { ours: () => new Aroon(14), oursInput: 'bar', peer: () => new ts.Aroon(14), peerInput: 'bar' },
  aroonosc: { ours: () => new AroonOsc(14), oursInput: 'bar', peer: () => new ts.Aroon(14), peerInput: 'bar', peerNote: 'Aroon (up/down)' },
  stoch: {
    ours: () => new Stoch(5, 3, 3),
    oursInput: 'bar',
    peer: () => new ts.StochasticOscillator({ kPeriod: 5, kSlowingPeriod: 3, dPeriod: 3 }),
    peerInput: 'bar',
  },
  cci: { ours: () => new Cci(14), oursInput: 'bar', peer: () => new ts.CCI(14), peerInput: 'bar' },
  willr: { ours: () => new WillR(14), oursInput: 'bar', peer: () => new ts.WilliamsR(14), peerInput: 'bar' },
  mfi: { ours: () => new Mfi(14), oursInput: 'bar', peer: () => new ts.MFI(14), peerInput: 'bar' },
  obv: { ours: () => new Obv(), oursInput: 'bar', peer: () => new ts.OBV(2), peerInput: 'bar', peerNote: 'OBV(2): its smallest working window' },
  vwap: { ours: () => new Vwap(), oursInput: 'bar', peer: () => new ts.VWAP(), peerInput: 'bar', peerNote: 'VWAP (cumulative, no sessions)' },
  keltner: {
    ours: () => new Keltner(20, 2, 10),
    oursInput: 'bar',
    peer: () => new ts.KeltnerChannels({ atrInterval: 10, emaInterval: 20, multiplier: 2 }),
    peerInput: 'bar',
  },
  donchian: { ours: () => new Donchian(20), oursInput: 'bar', peer: () => new ts.DonchianChannels(20), peerInput: 'bar' },
  sar: { ours: () => new Sar(0.02, 0.2), oursInput: 'bar', peer: () => new ts.PSAR({ accelerationStep: 0.02, accelerationMax: 0.2 }), peerInput: 'bar' },
};

type Loop = (target: unknown, input: unknown, n: number, out: Float64Array) => number;

/** A freshly compiled loop: its call site sees one receiver class only, like a real single-indicator loop. */
function compile(body: string): Loop {
  return new Function('target', 'input', 'n', 'out', `'use strict'; let sink = 0; for (let i = 0; i < n; i++) { ${body} } return sink;`) as Loop;
}

const LOOPS = {
  update: 'const r = target.update(input[i]); if (r !== null) sink++;',
  add: 'const r = target.add(input[i]); if (r !== null) sink++;',
  bar: 'if (target.update(input[i], out, 0)) sink++;',
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median updates/s of each contender over `runs` rounds after one warm-up round, timed in process CPU time
 * (user + system), not wall time: on a shared, overloaded machine wall time mostly measures how long the
 * process waited for a core. Contenders run interleaved (one run of each per round) so that what noise is left
 * hits them alike.
 * `prepare` builds fresh state outside the timing and returns the timed call.
 */
function rates(points: number, runs: number, contenders: Record<string, () => () => unknown>): Record<string, number> {
  const names = Object.keys(contenders);
  const times: Record<string, number[]> = {};
  for (const n of names) times[n] = [];
  for (let round = 0; round <= runs; round++) {
    for (const n of names) {
      const go = contenders[n]();
      const c0 = process.cpuUsage();
      go();
      const c = process.cpuUsage(c0);
      const dt = (c.user + c.system) / 1000;
      if (round > 0) times[n].push(dt);
    }
  }
  const out: Record<string, number> = {};
  for (const n of names) out[n] = points / (median(times[n]) / 1000);
  return out;
}

/**
 * Start times of young-generation collections (scavenges), to count those inside a run: allocation per update
 * fills the young generation. Major collections are left out, since one can finish during any run because of
 * earlier garbage (TA-Lib's million-element arrays).
 */
const gcStarts: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
    if (kind === perfConstants.NODE_PERFORMANCE_GC_MINOR) gcStarts.push(entry.startTime);
  }
}).observe({ entryTypes: ['gc'] });

/** The fewest GCs in three runs: a collection of earlier garbage can fall into any one run, allocation per update into all. */
async function gcsDuring(prepare: () => () => unknown): Promise<number> {
  let fewest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < 3; k++) {
    const go = prepare();
    const t0 = performance.now();
    go();
    const t1 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 100)); // GC entries arrive asynchronously, not within a tick
    fewest = Math.min(fewest, gcStarts.filter((t) => t >= t0 && t <= t1).length);
  }
  return fewest;
}

function bareEma(input: Float64Array, period: number): number {
  const k = 2 / (period + 1);
  let sum = 0;
  for (let i = 0; i < period; i++) sum += input[i];
  let ema = sum / period;
  let sink = ema;
  for (let i = period; i < input.length; i++) {
    ema = (input[i] - ema) * k + ema;
    sink += ema;
  }
  return sink;
}

function bareSma(input: Float64Array, period: number): number {
  let sum = 0;
  let sink = 0;
  for (let i = 0; i < period - 1; i++) sum += input[i];
  for (let i = period - 1; i < input.length; i++) {
    sum += input[i];
    sink += sum / period;
    sum -= input[i - period + 1];
  }
  return sink;
}

function parseArgs(args: string[]): { points: number; runs: number; only: Set<string> | null } {
  let points = 1_000_000;
  let runs = 5;
  let only: Set<string> | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === '--points' && v !== undefined) points = Number(args[++i]);
    else if (a === '--runs' && v !== undefined) runs = Number(args[++i]);
    else if (a === '--only' && v !== undefined) only = new Set(args[++i].split(','));
    else throw new Error(`bench indicators: unknown argument ${a}; use --points N --runs R --only a,b`);
  }
  if (!Number.isSafeInteger(points) || points < 1000) throw new Error('--points must be an integer >= 1000');
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  return { points, runs, only };
}

const fmt = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${(x / 1e6).toFixed(1)}M`);
const ratio = (a: number | undefined, b: number | undefined): string => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}x`);

export async function run(args: string[]): Promise<void> {
  const { points, runs, only } = parseArgs(args);
  const s = randomOhlcv(points, 2024, { flatEvery: 97, zeroVolumeEvery: 89 });
  const bars: (Ohlcv & { tsOpen: number })[] = [];
  for (let i = 0; i < points; i++) {
    bars.push({ open: s.open[i], high: s.high[i], low: s.low[i], close: s.close[i], volume: s.volume[i], tsOpen: i * 60_000_000 });
  }
  const closes = Array.from(s.close);
  const plain = { open: Array.from(s.open), high: Array.from(s.high), low: Array.from(s.low), close: closes, volume: Array.from(s.volume) };
  const out = new Float64Array(8);
  process.stdout.write(`indicators: ${points.toLocaleString('en')} bars, median of ${runs} runs, updates per second of CPU time (M = million)\n`);
  process.stdout.write(`node ${process.version}; "ours" = streaming class, "registry" = the same through parseIndicatorSpec's bar adapter\n\n`);
  const header = ['indicator', 'ours', 'registry', 'trading-signals', 'ours/ts', 'talib', 'ours/talib', 'bare loop', 'ours/bare', 'GCs', 'peer note'];
  const allocating: string[] = [];
  const rows: string[][] = [header];
  const summary: { name: string; ours: number; peer?: number; bare?: number }[] = [];

  for (const def of indicatorDefinitions) {
    const name = def.name;
    if (only !== null && !only.has(name)) continue;
    const e = entries[name];
    if (e === undefined) throw new Error(`bench indicators: no benchmark entry for registry indicator ${name}`);
    const params = def.params.map(([, v]) => v);
    const oursInput = e.oursInput === 'close' ? s.close : bars;
    const oursLoop = compile(LOOPS.update);
    const barLoop = compile(LOOPS.bar);
    const contenders: Record<string, () => () => unknown> = {
      ours: () => {
        const ind = e.ours();
        return () => oursLoop(ind, oursInput, points, out);
      },
      registry: () => {
        const ind = findIndicator(name)!.create(params);
        return () => barLoop(ind, bars, points, out);
      },
    };
    let note = e.peerNote ?? '';
    if (e.peer !== undefined) {
      const peerLoop = compile(LOOPS.add);
      const peerInput = e.peerInput === 'close' ? s.close : bars;
      const make = e.peer;
      try {
        peerLoop(make(), peerInput, Math.min(points, 1000), out);
        contenders.peer = () => {
          const ind = make();
          return () => peerLoop(ind, peerInput, points, out);
        };
      } catch (err) {
        note = `peer failed: ${err instanceof Error ? err.message : String(err)}`;
      }
    } else {
      note = 'no trading-signals equivalent';
    }
    let talibContender: Record<string, () => () => unknown> = {};
    const ref = talibReferences[name];
    if (ref !== undefined) {
      talibContender = { talib: () => () => ref.ref(plain, params) };
      if (ref.functions.length > 1) note = [note, `talib = ${ref.functions.join('+')}`].filter((x) => x !== '').join('; ');
    } else {
      note = [note, 'no TA-Lib function'].filter((x) => x !== '').join('; ');
    }
    if (name === 'ema') contenders.bare = () => () => bareEma(s.close, params[0]);
    if (name === 'sma') contenders.bare = () => () => bareSma(s.close, params[0]);
    if (process.env.BENCH_SKIP !== undefined) for (const k of process.env.BENCH_SKIP.split(',')) delete contenders[k];
    // TA-Lib runs on its own: its megabytes of arrays per call would otherwise load the streaming runs' GC.
    const r = { ...rates(points, runs, contenders), ...rates(points, runs, talibContender) };
    const oursGcs = `${await gcsDuring(contenders.ours)}/${await gcsDuring(contenders.registry)}`;
    if (oursGcs !== '0/0') allocating.push(`${name} (${oursGcs})`);
    // The peer's count shows that the counter does see allocation where there is some.
    const gcs = `${oursGcs}/${contenders.peer === undefined ? '-' : await gcsDuring(contenders.peer)}`;
    const { ours, registry, peer, talib, bare } = r as { ours: number; registry: number; peer?: number; talib?: number; bare?: number };
    const spec = `${name}(${params.join(',')})`;
    rows.push([spec, fmt(ours), fmt(registry), fmt(peer), ratio(ours, peer), fmt(talib), ratio(ours, talib), fmt(bare), ratio(ours, bare), gcs, note]);
    summary.push({ name: spec, ours, peer, bare });
    process.stderr.write(`.`);
  }
  process.stderr.write('\n');
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) process.stdout.write(`${r.map((x, c) => (c === 0 || c === r.length - 1 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ')}\n`);
  const slower = summary.filter((x) => x.peer !== undefined && x.ours < x.peer).map((x) => x.name);
  const bareMiss = summary.filter((x) => x.bare !== undefined && x.ours * 2 < x.bare).map((x) => x.name);
  process.stdout.write(`\ngoal: faster than trading-signals on every indicator: ${slower.length === 0 ? 'met' : `NOT met for ${slower.join(', ')}`}\n`);
  process.stdout.write(`no allocation per update (GCs during one run of ours/registry = 0/0): ${allocating.length === 0 ? 'yes, for every indicator' : `NO for ${allocating.join(', ')}`}\n`);
  const bareRun = summary.some((x) => x.bare !== undefined);
  const bareVerdict = !bareRun ? 'not measured in this run (--only left out ema and sma)' : bareMiss.length === 0 ? 'met' : `NOT met for ${bareMiss.join(', ')}`;
  process.stdout.write(`goal: within 2x of the bare loop (EMA, SMA): ${bareVerdict}\n`);
}
