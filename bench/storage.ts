/**
 * `npm run bench -- storage [--rows N] [--runs R] [--big] [--keep] [--pglite-rows N] [--skip-pg] [--skip-pglite]
 *   [--skip-ingest] [--skip-read]`
 *
 * Trade rows per second into PostgreSQL, end to end from domain events (TradeTick objects to committed
 * rows): the store's COPY path (direct COPY, falling back to staging only on duplicates), the always-staged
 * COPY path (COPY into a temp table, then INSERT ... ON CONFLICT DO NOTHING), batched multi-row INSERT and
 * single-row INSERT, side by side with psql's own `\copy` of the same rows into the same table (the limit).
 * The same for PGlite, with PGlite's own COPY of the same text as its limit. Then the read of the last
 * 1,000 one-minute bars of one instrument (p50/p99) with a generated dataset (default 2M trades and 500k
 * bars; `--big` or TRADEWIND_BENCH_BIG=1: 20M trades and 5M bars as in the issue) and its size on disk; with
 * `--keep` that dataset stays in a database named after its size and later runs reuse it.
 *
 * PostgreSQL: TRADEWIND_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) is used to
 * create a dedicated database tw_bench_<pid>, dropped at the end. Figures are medians of the runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { AggressorSide, InstrumentId, Price, Quantity, UnixMicros } from '../src/core/index.js';
import type { Bar, TradeId, TradeTick } from '../src/core/index.js';
import type { SqlDriver } from '../src/infra/db/driver.js';
import { migrate } from '../src/infra/db/migrate.js';
import { PgliteDriver } from '../src/infra/db/pglite-driver.js';
import { PostgresDriver } from '../src/infra/db/postgres-driver.js';
import { BufferedWriter } from '../src/infra/store/buffered-writer.js';
import { SqlMarketStore } from '../src/infra/store/sql-market-store.js';
import { TradeCopyEncoder } from '../src/infra/store/copy-encoder.js';
import { BarSpec } from '../src/core/index.js';

const T0 = Date.UTC(2024, 0, 1) * 1000;
const COLS = 'instrument_id, ts_event, trade_id, price, size, aggressor_side, ts_init';

function makeTrades(n: number, offset = 0): TradeTick[] {
  const ids = ['BTCUSDT.BINANCE', 'ETHUSDT.BINANCE', 'SOLUSDT.BINANCE', 'XRPUSDT.BINANCE'].map((s) => InstrumentId.parse(s));
  const out: TradeTick[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = i + offset;
    // ~100 ms apart: 2M trades span about 2.3 days, so several daily partitions are written
    const ts = UnixMicros.unsafe(T0 + k * 100_000 + (k % 97));
    out[i] = {
      type: 'trade',
      instrumentId: ids[k % 4],
      price: Price.fromRaw(4_200_000 + ((k * 7919) % 20_000), 2),
      size: Quantity.fromRaw(1 + ((k * 31) % 100_000), 5),
      aggressorSide: k % 2 === 0 ? AggressorSide.Buyer : AggressorSide.Seller,
      tradeId: String(10_000_000 + k) as TradeId,
      tsEvent: ts,
      tsInit: UnixMicros.unsafe(ts + 150),
    };
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

interface Row {
  method: string;
  rows: number;
  rate: number;
  runs: number[];
}

function printTable(title: string, rows: Row[], limitName: string) {
  const limit = rows.find((r) => r.method === limitName)?.rate;
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${'method'.padEnd(46)} ${'rows'.padStart(10)} ${'rows/s (median)'.padStart(16)} ${`vs ${limitName}`.padStart(18)}   runs\n`);
  for (const r of rows) {
    const ratio = limit === undefined ? '' : `${((r.rate / limit) * 100).toFixed(0)}%`;
    process.stdout.write(`${r.method.padEnd(46)} ${fmt(r.rows).padStart(10)} ${fmt(r.rate).padStart(16)} ${ratio.padStart(18)}   ${r.runs.map(fmt).join(' / ')}\n`);
  }
}

async function timeRuns(runs: number, rows: number, before: () => Promise<void>, work: () => Promise<void>): Promise<number[]> {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    const t = performance.now();
    await work();
    rates.push(rows / ((performance.now() - t) / 1000));
  }
  return rates;
}

async function writeThroughWriter(store: SqlMarketStore, trades: readonly TradeTick[], concurrency = 1) {
  const writer = new BufferedWriter<TradeTick>({ sink: (b) => store.insertTrades(b), batchSize: 50_000, capacity: 200_000, flushIntervalMs: 0, concurrency });
  for (const t of trades) if (!writer.write(t)) await writer.put(t);
  await writer.close();
}

async function batchedInsert(db: SqlDriver, trades: readonly TradeTick[], per = 1000) {
  for (let i = 0; i < trades.length; i += per) {
    const chunk = trades.slice(i, i + per);
    const params: unknown[] = [];
    const values = chunk.map((t, j) => {
      params.push(t.instrumentId, t.tsEvent, t.tradeId, t.price.toString(), t.size.toString(), t.aggressorSide === 'BUYER' ? 'B' : 'S', t.tsInit);
      const b = j * 7;
      return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7})`;
    });
    await db.query(`INSERT INTO trades (${COLS}) VALUES ${values.join(',')} ON CONFLICT DO NOTHING`, params);
  }
}

async function singleInsert(db: SqlDriver, trades: readonly TradeTick[]) {
  for (const t of trades) {
    await db.query(`INSERT INTO trades (${COLS}) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`, [
      t.instrumentId,
      t.tsEvent,
      t.tradeId,
      t.price.toString(),
      t.size.toString(),
      t.aggressorSide === 'BUYER' ? 'B' : 'S',
      t.tsInit,
    ]);
  }
}

async function ingestBench(name: string, db: SqlDriver, trades: TradeTick[], runs: number, psqlUrl: string | undefined): Promise<Row[]> {
  const n = trades.length;
  const truncate = async () => {
    await db.exec('TRUNCATE trades');
  };
  await db.query('SELECT tw_ensure_partitions($1, $2, $3)', ['trades', trades[0].tsEvent, trades[n - 1].tsEvent]);
  const rows: Row[] = [];
  const add = (method: string, count: number, rates: number[]) => rows.push({ method, rows: count, rate: median(rates), runs: rates });

  if (psqlUrl !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'tw-bench-'));
    const file = join(dir, 'trades.txt');
    writeFileSync(file, new TradeCopyEncoder().encode(trades));
    add(
      'psql \\copy (text file -> table)',
      n,
      await timeRuns(runs, n, truncate, async () => {
        await promisify(execFile)('psql', [psqlUrl, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy trades (${COLS}) FROM '${file}'`]);
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  } else {
    // PGlite has no psql: its own COPY of prepared text is the limit.
    const text = new TradeCopyEncoder().encode(trades);
    add(
      'raw COPY of prepared text (no domain events)',
      n,
      await timeRuns(runs, n, truncate, async () => {
        await db.transaction((tx) => tx.copyIn('trades', COLS.split(', '), text));
      }),
    );
  }
  add('store COPY (writer, 50k batches), events -> rows', n, await timeRuns(runs, n, truncate, () => writeThroughWriter(new SqlMarketStore(db), trades)));
  if (name === 'postgres') {
    add('store COPY, 2 batches in flight, events -> rows', n, await timeRuns(runs, n, truncate, () => writeThroughWriter(new SqlMarketStore(db), trades, 2)));
  }
  add(
    'store COPY via staging + ON CONFLICT, events -> rows',
    n,
    await timeRuns(runs, n, truncate, () => writeThroughWriter(new SqlMarketStore(db, { optimisticCopy: false }), trades)),
  );
  // replaying the same batch: everything is a duplicate, so this is the fallback path at its worst
  const replayStore = new SqlMarketStore(db);
  add(
    'store replay of stored rows (all duplicates)',
    n,
    await timeRuns(runs, n, async () => {
      await truncate();
      await writeThroughWriter(replayStore, trades);
    }, () => writeThroughWriter(replayStore, trades)),
  );
  const nb = Math.min(n, 100_000);
  add('batched INSERT (1000 rows/statement)', nb, await timeRuns(runs, nb, truncate, () => batchedInsert(db, trades.slice(0, nb))));
  const ns = Math.min(n, name === 'pglite' ? 2_000 : 3_000);
  add('single-row INSERT (autocommit)', ns, await timeRuns(runs, ns, truncate, () => singleInsert(db, trades.slice(0, ns))));
  await truncate();
  return rows;
}

/** Fills the database with generated trades and 1m bars, server-side; returns the seconds it took. */
async function loadReadData(db: SqlDriver, tradeRows: number, barRows: number): Promise<number> {
  const t = performance.now();
  const instruments = 10;
  const tradeSpan = Math.ceil(tradeRows / instruments) * 250_000; // one trade per instrument every 250 ms
  await db.query('SELECT tw_ensure_partitions($1, $2, $3)', ['trades', T0, T0 + tradeSpan]);
  const chunk = 2_000_000;
  for (let lo = 0; lo < tradeRows; lo += chunk) {
    const hi = Math.min(tradeRows, lo + chunk) - 1;
    await db.query(
      `INSERT INTO trades (${COLS})
       SELECT 'SYM' || (i % ${instruments}) || '.BENCH', ${T0} + (i / ${instruments}) * 250000, i::text,
              (100 + (i % 1000) * 0.01)::numeric(12,2), (0.001 * (1 + i % 100))::numeric(12,3), 'B', ${T0} + (i / ${instruments}) * 250000
         FROM generate_series($1::bigint, $2::bigint) AS i`,
      [lo, hi],
    );
  }
  // Bars of the ten instruments interleaved minute by minute, as a live feed writes them: the 1,000 bars of
  // one instrument are spread over about ten times as many heap rows.
  const minutes = Math.ceil(barRows / instruments);
  await db.query('SELECT tw_ensure_partitions($1, $2, $3)', ['bars', T0, T0 + minutes * 60_000_000]);
  for (let lo = 0; lo < barRows; lo += chunk) {
    const hi = Math.min(barRows, lo + chunk) - 1;
    await db.query(
      `INSERT INTO bars (instrument_id, spec, ts_open, ts_event, open, high, low, close, volume, trade_count, ts_init, first_ts, last_ts)
       SELECT 'SYM' || (i % ${instruments}) || '.BENCH', '1m', ${T0} + (i / ${instruments}) * 60000000, ${T0} + (i / ${instruments} + 1) * 60000000,
              (100 + (i % 997) * 0.01)::numeric(12,2), 101.50, 99.25, (100 + (i % 991) * 0.01)::numeric(12,2), (0.001 * (1 + i % 5000))::numeric(12,3),
              i % 1000, ${T0} + (i / ${instruments} + 1) * 60000000,
              ${T0} + (i / ${instruments}) * 60000000, ${T0} + (i / ${instruments}) * 60000000
         FROM generate_series($1::bigint, $2::bigint) AS i`,
      [lo, hi],
    );
  }
  await db.exec('VACUUM ANALYZE trades');
  await db.exec('VACUUM ANALYZE bars');
  return (performance.now() - t) / 1000;
}

/** numeric::text to a fixed-point value the way the store read it before bar-copy.ts (no exponent in numeric_out). */
function fixedFromText<T>(text: string, make: (raw: number, precision: number) => T): T {
  const dot = text.indexOf('.');
  return make(Number(dot < 0 ? text : text.slice(0, dot) + text.slice(dot + 1)), dot < 0 ? 0 : text.length - dot - 1);
}

/**
 * The read path before bar-copy.ts, kept for comparison: the same SELECT as a result set of text columns
 * (a row object and nine strings per bar), decoded into the same Bars as the store did then.
 */
async function lastBarsByRows(db: SqlDriver, inst: InstrumentId, spec: BarSpec, count: number): Promise<number> {
  const rows = await db.query<Record<string, string | number>>(
    `SELECT ts_open, ts_event, open::text, high::text, low::text, close::text, volume::text, trade_count, ts_init FROM bars
      WHERE instrument_id = $1 AND spec = $2 AND ts_open < $3 ORDER BY ts_open DESC LIMIT $4`,
    [inst, BarSpec.toString(spec), Number.MAX_SAFE_INTEGER, count],
    { prepare: true },
  );
  const bars: Bar[] = rows.map((r) => ({
    type: 'bar',
    instrumentId: inst,
    spec,
    open: fixedFromText(r.open as string, Price.fromRaw),
    high: fixedFromText(r.high as string, Price.fromRaw),
    low: fixedFromText(r.low as string, Price.fromRaw),
    close: fixedFromText(r.close as string, Price.fromRaw),
    volume: fixedFromText(r.volume as string, Quantity.fromRaw),
    tradeCount: r.trade_count as number,
    tsOpen: UnixMicros.unsafe(r.ts_open as number),
    tsEvent: UnixMicros.unsafe(r.ts_event as number),
    tsInit: UnixMicros.unsafe(r.ts_init as number),
  }));
  bars.reverse();
  return bars.length;
}

/** Times lastBars(1000) over a generated dataset: the store's path, then the earlier row path. */
async function readBench(label: string, db: SqlDriver, tradeRows: number, barRows: number, queries: number, loadSeconds: number | undefined) {
  const [size] = await db.query<{ db: string; trades: string; bars: string; bars_rows: number; trades_rows: number }>(
    `SELECT pg_size_pretty(pg_database_size(current_database())) AS db,
            pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'trades'::regclass)) AS trades,
            pg_size_pretty((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'bars'::regclass)) AS bars,
            (SELECT count(*) FROM bars)::int8 AS bars_rows, (SELECT count(*) FROM trades)::int8 AS trades_rows`,
  );
  const store = new SqlMarketStore(db);
  const spec = BarSpec.parse('1m');
  const inst = InstrumentId.parse('SYM3.BENCH');
  const gcPauses: { start: number; duration: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
  });
  const paths: [string, () => Promise<number>][] = [
    ['store.lastBars (binary COPY, decoded from bytes)', async () => (await store.lastBars(inst, spec, 1000)).length],
    ['row per bar (the earlier read path, prepared)', () => lastBarsByRows(db, inst, spec, 1000)],
  ];
  const lat = paths.map(() => [] as number[]);
  const gcs = paths.map(() => [] as number[]);
  const calm = paths.map(() => [] as number[]); // queries during which no GC pause started
  let got = 0;
  const rounds = 5;
  // Path by path, not interleaved: the row path leaves the heap full of promoted garbage whose collection
  // would land on the next path's timings.
  for (let p = 0; p < paths.length; p++) {
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < 20; i++) await paths[p][1](); // warm caches and plans
      gcPauses.length = 0;
      observer.observe({ entryTypes: ['gc'] });
      const spans: [number, number][] = [];
      for (let i = 0; i < queries / rounds; i++) {
        const q = performance.now();
        got = await paths[p][1]();
        const e = performance.now();
        lat[p].push(e - q);
        spans.push([q, e]);
      }
      await new Promise((r) => setTimeout(r, 10));
      observer.disconnect();
      gcs[p].push(...gcPauses.map((g) => g.duration));
      for (const [q, e] of spans) if (!gcPauses.some((g) => g.start >= q && g.start < e)) calm[p].push(e - q);
    }
  }
  // Server-side execution alone, to tell the database's share from the client's on a busy machine.
  const exec: number[] = [];
  for (let i = 0; i < 50; i++) {
    const [plan] = await db.query<{ 'QUERY PLAN': [{ 'Execution Time': number }] | string }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT ts_open, ts_event, open::text, high::text, low::text, close::text, volume::text, trade_count, ts_init
         FROM bars WHERE instrument_id = 'SYM3.BENCH' AND spec = '1m' AND ts_open < ${Number.MAX_SAFE_INTEGER} ORDER BY ts_open DESC LIMIT 1000`,
    );
    const json = plan['QUERY PLAN'];
    exec.push((typeof json === 'string' ? (JSON.parse(json) as [{ 'Execution Time': number }]) : json)[0]['Execution Time']);
  }
  const loaded = loadSeconds === undefined ? 'kept from an earlier run' : `loaded in ${loadSeconds.toFixed(1)} s`;
  process.stdout.write(
    `\n${label}: last 1,000 1m bars of one instrument (query + decode to Bar), ${fmt(size.trades_rows)} trades + ${fmt(size.bars_rows)} bars in the database (${loaded}); ` +
      `${queries} queries per path in ${rounds} rounds, the store's path first\n`,
  );
  paths.forEach(([name], p) => {
    const g = gcs[p];
    process.stdout.write(
      `  ${name.padEnd(50)} p50 ${pct(lat[p], 50).toFixed(2)} ms, p90 ${pct(lat[p], 90).toFixed(2)} ms, p99 ${pct(lat[p], 99).toFixed(2)} ms, max ${Math.max(...lat[p]).toFixed(2)} ms` +
        `${p === 0 ? ' (goal p99 < 5 ms)' : ''}\n` +
        `  ${''.padEnd(50)} ${g.length} GC pauses (p50 ${g.length > 0 ? pct(g, 50).toFixed(1) : '-'} ms, longest ${g.length > 0 ? Math.max(...g).toFixed(1) : '-'} ms); ` +
        `the ${calm[p].length} queries without one: p99 ${calm[p].length > 0 ? pct(calm[p], 99).toFixed(2) : "-"} ms\n`,
    );
  });
  process.stdout.write(
    `  returned ${got} bars; server-side execution only (EXPLAIN ANALYZE, 50 runs): p50 ${pct(exec, 50).toFixed(2)} ms, p99 ${pct(exec, 99).toFixed(2)} ms\n` +
      `  size on disk: database ${size.db} (trades ${size.trades}, bars ${size.bars})\n`,
  );
}

/**
 * The read benchmark's database: a fresh one loaded now and dropped after, or with --keep a database named
 * after the row counts, loaded once and kept for later runs (loading 20M + 5M rows takes minutes).
 */
async function readBenchPg(adminUrl: string, admin: postgres.Sql, tradeRows: number, barRows: number, keep: boolean) {
  const dbName = keep ? `tw_bench_read_${tradeRows}_${barRows}` : `tw_bench_read_${process.pid}`;
  const [exists] = await admin.unsafe('SELECT count(*)::int AS n FROM pg_database WHERE datname = $1', [dbName]);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  if (exists.n === 0) await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const db = await PostgresDriver.open({ url: url.toString(), max: 2, statementTimeoutMs: 0 });
  try {
    await migrate(db);
    const [marker] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'tw_bench_loaded'");
    let loadSeconds: number | undefined;
    if (marker.n === 0) {
      loadSeconds = await loadReadData(db, tradeRows, barRows);
      await db.exec('CREATE TABLE tw_bench_loaded ()');
    }
    await readBench('PostgreSQL', db, tradeRows, barRows, 1000, loadSeconds);
  } finally {
    await db.close();
    if (!keep) await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName}`);
  }
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string', default: '1000000' },
      'pglite-rows': { type: 'string', default: '200000' },
      runs: { type: 'string', default: '3' },
      big: { type: 'boolean', default: process.env.TRADEWIND_BENCH_BIG === '1' },
      'skip-pg': { type: 'boolean', default: false },
      'skip-pglite': { type: 'boolean', default: false },
      'skip-read': { type: 'boolean', default: false },
      'skip-ingest': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  const runs = Number(values.runs);
  const tradeRows = values.big ? 20_000_000 : 2_000_000;
  const barRows = values.big ? 5_000_000 : 500_000;

  if (!values['skip-pg']) {
    const adminUrl = process.env.TRADEWIND_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbName = `tw_bench_${process.pid}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
    const url = new URL(adminUrl);
    url.pathname = `/${dbName}`;
    const db = await PostgresDriver.open({ url: url.toString(), max: 2, statementTimeoutMs: 0 });
    try {
      await migrate(db);
      const [ver] = await db.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v');
      if (!values['skip-ingest']) printTable(
        `PostgreSQL ${ver.v} (${url.host}), trade rows into the partitioned trades table (PK instrument_id, ts_event, trade_id + BRIN), ${runs} runs`,
        await ingestBench('postgres', db, makeTrades(rows), runs, url.toString()),
        'psql \\copy (text file -> table)',
      );
    } finally {
      await db.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName}`);
    }
    try {
      if (!values['skip-read']) await readBenchPg(adminUrl, admin, tradeRows, barRows, values.keep);
    } finally {
      await admin.end();
    }
  }

  if (!values['skip-pglite']) {
    const db = await PgliteDriver.open();
    try {
      await migrate(db);
      const n = Number(values['pglite-rows']);
      if (!values['skip-ingest']) printTable(`PGlite (in memory), ${runs} runs`, await ingestBench('pglite', db, makeTrades(n), runs, undefined), 'raw COPY of prepared text (no domain events)');
      if (!values['skip-read']) {
        const t = values.big ? 2_000_000 : 500_000;
        const b = values.big ? 1_000_000 : 200_000;
        await readBench('PGlite', db, t, b, 300, await loadReadData(db, t, b));
      }
    } finally {
      await db.close();
    }
  }
}
