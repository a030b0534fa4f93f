/**
 * Real check: the 1-minute bars Tradewind builds from Binance's XRP/ETH aggregated trades equal Binance's own
 * 1-minute candles for the same window (freqtrade test data, see its PROVENANCE.md), field by field; and the
 * 5-minute bars resampled from them equal Binance's 5-minute candles.
 *
 * Three paths are checked against the venue's candles:
 *   A. the raw aggTrade payloads (exact decimal strings p, q; time T in ms) through TimeBarAggregator;
 *   B. `tradewind bars --interval 1m` on the trades CSV (the command line end to end);
 *   C. `tradewind resample --interval 5m` on B's output, against the 5-minute candles;
 *   D. `tradewind resample --interval 5m` on the venue's own 1-minute candles, against its 5-minute candles.
 * Only candles that the trade file may not cover completely are allowed to differ: the minute (or five) of
 * the first trade and of the last one, since trades before the first or after the last are not in the file,
 * and any interval around a gap in the aggTrade ids.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { BarSpec } from '../../src/core/bar-spec.js';
import type { Bar } from '../../src/core/data.js';
import { InstrumentId } from '../../src/core/identifiers.js';
import { Price, Quantity } from '../../src/core/price.js';
import { MICROS_PER_MILLI } from '../../src/core/time.js';
import { TimeBarAggregator } from '../../src/compute/bars/index.js';
import { runCli } from '../../src/cli/run.js';

const DIR = 'freqtrade_testdata';
/** PROVENANCE.md: candle floats are written at full float64 precision, so compare at 8 decimals. */
const DECIMALS = 8;

interface Ohlcv {
  readonly t: number;
  readonly fields: readonly bigint[];
}

/** A decimal string rounded half-up to DECIMALS places, as an integer (exact: no float on the way). */
function scaled(s: string): bigint {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (m === null) throw new Error(`not a plain decimal: ${JSON.stringify(s)}`);
  const frac = (m[3] ?? '').padEnd(DECIMALS + 1, '0');
  let v = BigInt(`${m[2] || '0'}${frac.slice(0, DECIMALS)}`);
  if (Number(frac[DECIMALS]) >= 5) v += 1n;
  return m[1] === '-' ? -v : v;
}

function readCsvBars(path: string): Ohlcv[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`${path}: no column ${name}`);
    return i;
  };
  const t = cols.includes('date') ? at('date') : at('timestamp');
  const idx = ['open', 'high', 'low', 'close', 'volume'].map(at);
  return lines.map((l) => {
    const c = l.split(',');
    return { t: Number(c[t]), fields: idx.map((i) => scaled(c[i])) };
  });
}

function fromBar(b: Bar): Ohlcv {
  return { t: b.tsOpen / MICROS_PER_MILLI, fields: [b.open, b.high, b.low, b.close, b.volume].map((x) => scaled(x.toString())) };
}

interface Comparison {
  readonly matched: number;
  readonly allowed: string[];
  readonly failures: string[];
}

const NAMES = ['open', 'high', 'low', 'close', 'volume'];

/** Compares built bars with the venue's candles; `partial` holds the open times that may differ, with why. */
function compare(ours: readonly Ohlcv[], venue: readonly Ohlcv[], partial: ReadonlyMap<number, string>): Comparison {
  const mine = new Map(ours.map((o) => [o.t, o]));
  const theirs = new Map(venue.map((o) => [o.t, o]));
  const times = [...new Set([...mine.keys(), ...theirs.keys()])].sort((a, b) => a - b);
  let matched = 0;
  const allowed: string[] = [];
  const failures: string[] = [];
  for (const t of times) {
    const a = mine.get(t);
    const b = theirs.get(t);
    let diff: string | undefined;
    if (a === undefined) diff = 'a venue candle with no Tradewind bar';
    else if (b === undefined) diff = 'a Tradewind bar with no venue candle';
    else {
      const bad = NAMES.filter((_, i) => a.fields[i] !== b.fields[i]);
      if (bad.length > 0) diff = bad.map((n) => `${n} ${fmt(a.fields[NAMES.indexOf(n)])} vs venue ${fmt(b.fields[NAMES.indexOf(n)])}`).join(', ');
    }
    const iso = new Date(t).toISOString();
    if (diff === undefined) {
      matched++;
      continue;
    }
    const why = partial.get(t);
    if (why !== undefined) allowed.push(`${iso}: ${diff} (${why})`);
    else failures.push(`${iso}: ${diff}`);
  }
  return { matched, allowed, failures };
}

function fmt(v: bigint): string {
  const s = v.toString().padStart(DECIMALS + 1, '0');
  return `${s.slice(0, -DECIMALS)}.${s.slice(-DECIMALS)}`;
}

function report(label: string, venueCount: number, c: Comparison, partial: ReadonlyMap<number, string>, venueTimes: Set<number>): boolean {
  const partialAtCandles = [...partial.keys()].filter((t) => venueTimes.has(t)).length;
  console.log(`  ${label}: ${c.matched} of ${venueCount} venue candles matched field by field (open, high, low, close, volume at ${DECIMALS} decimals)`);
  console.log(`    ${partial.size} interval(s) not covered completely by the trade file (${[...partial.values()].join('; ')}); ${partialAtCandles} of them have a venue candle`);
  console.log(`    excluded because they differ and are not covered completely: ${c.allowed.length}${c.allowed.map((a) => `\n      ${a}`).join('')}`);
  console.log(`    mismatches: ${c.failures.length}${c.failures.slice(0, 10).map((f) => `\n      ${f}`).join('')}`);
  return c.failures.length === 0 && c.matched > 0;
}

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (ch: Buffer, _e, cb) => (f(ch.toString()), cb()) });
  const code = await runCli(args, { stdout: sink(() => undefined), stderr: sink((s) => (err += s)), env: process.env, cwd: process.cwd() });
  return { code, err };
}

interface AggTrade {
  readonly a: number;
  readonly p: string;
  readonly q: string;
  readonly T: number;
}

export async function run(dataDir: string): Promise<boolean> {
  const base = join(dataDir, DIR);
  const needed = ['trades/XRP_OLD-trades.json.gz', 'trades/XRP_ETH-trades.csv', 'candles/XRP_ETH-1m.csv', 'candles/XRP_ETH-5m.csv'];
  const missing = needed.filter((f) => !existsSync(join(base, f)));
  if (missing.length > 0) {
    console.log(`bars: missing data in ${base}: ${missing.join(', ')}`);
    return false;
  }
  const raw = JSON.parse(gunzipSync(readFileSync(join(base, 'trades/XRP_OLD-trades.json.gz'))).toString('utf8')) as { info: AggTrade }[];
  const trades = raw.map((r) => r.info);
  const candles1m = readCsvBars(join(base, 'candles/XRP_ETH-1m.csv'));
  const candles5m = readCsvBars(join(base, 'candles/XRP_ETH-5m.csv'));
  console.log(`bars: ${trades.length} Binance XRP/ETH aggTrades ${new Date(trades[0].T).toISOString()} .. ${new Date(trades[trades.length - 1].T).toISOString()}; ${candles1m.length} 1m and ${candles5m.length} 5m venue candles`);

  // Intervals the file may not cover completely: where the first and last trades fall, and id gaps.
  const partialFor = (ms: number): Map<number, string> => {
    const m = new Map<number, string>();
    const floor = (t: number) => t - (t % ms);
    m.set(floor(trades[0].T), 'first trade of the file; earlier trades of that interval are not in it');
    m.set(floor(trades[trades.length - 1].T), 'last trade of the file; later trades of that interval are not in it');
    for (let i = 1; i < trades.length; i++) {
      if (trades[i].a !== trades[i - 1].a + 1) {
        for (const t of [floor(trades[i - 1].T), floor(trades[i].T)]) m.set(t, `aggTrade ids jump from ${trades[i - 1].a} to ${trades[i].a}`);
      }
    }
    return m;
  };
  const partial1m = partialFor(60_000);
  const partial5m = partialFor(300_000);
  const idGaps = trades.filter((t, i) => i > 0 && t.a !== trades[i - 1].a + 1).length;
  console.log(`  aggTrade ids ${trades[0].a}..${trades[trades.length - 1].a}: ${idGaps} gap(s); ${trades.filter((t, i) => i > 0 && t.T < trades[i - 1].T).length} out-of-order timestamps`);

  // A. Raw payloads through the aggregator.
  const built: Bar[] = [];
  const agg = new TimeBarAggregator({
    instrumentId: InstrumentId.parse('XRPETH.BINANCE'),
    spec: BarSpec.parse('1m'),
    pricePrecision: 8,
    sizePrecision: 8,
    onBar: (b) => built.push(b),
  });
  for (const t of trades) agg.update(Price.parse(t.p), Quantity.parse(t.q), t.T * MICROS_PER_MILLI);
  agg.flush();
  const volumeIn = trades.reduce((s, t) => s + Quantity.parse(t.q, 8).raw, 0);
  const volumeOut = built.reduce((s, b) => s + b.volume.raw, 0);
  console.log(`  volume conservation: trades ${Quantity.fromRaw(volumeIn, 8)} = bars ${Quantity.fromRaw(volumeOut, 8)}; late trades ${agg.lateTrades}`);
  const times1m = new Set(candles1m.map((c) => c.t));
  const okA = report('A. raw aggTrade payloads -> 1m bars', candles1m.length, compare(built.map(fromBar), candles1m, partial1m), partial1m, times1m) && volumeIn === volumeOut;

  // B and C: the command line on the trades CSV.
  const tmp = mkdtempSync(join(tmpdir(), 'tw-eval-bars-'));
  try {
    const out1m = join(tmp, 'bars-1m.csv');
    const out5m = join(tmp, 'bars-5m.csv');
    const b = await cli(['bars', '--input', join(base, 'trades/XRP_ETH-trades.csv'), '--interval', '1m', '--output', out1m]);
    if (b.code !== 0) {
      console.log(`  B. tradewind bars failed with exit code ${b.code}: ${b.err}`);
      return false;
    }
    const okB = report('B. tradewind bars --interval 1m (trades CSV)', candles1m.length, compare(readCsvBars(out1m), candles1m, partial1m), partial1m, times1m);
    const c = await cli(['resample', '--input', out1m, '--interval', '5m', '--output', out5m]);
    if (c.code !== 0) {
      console.log(`  C. tradewind resample failed with exit code ${c.code}: ${c.err}`);
      return false;
    }
    const okC = report('C. tradewind resample --interval 5m (of B)', candles5m.length, compare(readCsvBars(out5m), candles5m, partial5m), partial5m, new Set(candles5m.map((x) => x.t)));
    // D. Resampling alone, on the venue's own 1m candles: no trade file involved, so nothing is excused.
    const venue5m = join(tmp, 'venue-5m.csv');
    const d = await cli(['resample', '--input', join(base, 'candles/XRP_ETH-1m.csv'), '--interval', '5m', '--output', venue5m]);
    if (d.code !== 0) {
      console.log(`  D. tradewind resample of the venue's 1m candles failed with exit code ${d.code}: ${d.err}`);
      return false;
    }
    const none = new Map<number, string>();
    const okD = report("D. tradewind resample --interval 5m of the venue's 1m candles", candles5m.length, compare(readCsvBars(venue5m), candles5m, none), none, new Set(candles5m.map((x) => x.t)));
    return okA && okB && okC && okD;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
