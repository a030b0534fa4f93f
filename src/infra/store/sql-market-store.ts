import { AggressorSide, BarSpec, Instrument, MICROS_PER_DAY, Price, Quantity, UnixMicros } from '../../core/index.js';
import type { Bar, InstrumentId, InstrumentSpec, TradeId, TradeTick, Venue } from '../../core/index.js';
import type { MarketDataStore, PartitionMaintenance, TimeRange, WriteResult } from '../../kernel/ports/market-store.js';
import type { SqlDriver, SqlTransaction } from '../db/driver.js';
import { quoteLiteral, sqlState } from '../db/driver.js';
import { BAR_COPY_COLUMNS, decodeBarCopy } from './bar-copy.js';
import { TradeCopyEncoder, escapeCopy as copyText } from './copy-encoder.js';

const TRADE_COLUMNS = ['instrument_id', 'ts_event', 'trade_id', 'price', 'size', 'aggressor_side', 'ts_init'] as const;
const BAR_COLUMNS = [
  'instrument_id',
  'spec',
  'ts_open',
  'ts_event',
  'open',
  'high',
  'low',
  'close',
  'volume',
  'trade_count',
  'ts_init',
  'first_ts',
  'last_ts',
] as const;

function sideFromCode(code: string): AggressorSide {
  return code === 'B' ? AggressorSide.Buyer : code === 'S' ? AggressorSide.Seller : AggressorSide.None;
}

/** Reads a numeric's text form (plain digits, optional sign and point) back into a fixed-point raw value. */
function parseFixed<T>(s: string, make: (raw: number, precision: number) => T, fallback: (s: string) => T): T {
  const dot = s.indexOf('.');
  const raw = Number(dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1));
  const precision = dot < 0 ? 0 : s.length - dot - 1;
  // numeric::text never has an exponent; anything unusual goes through the strict parser
  return Number.isSafeInteger(raw) && precision <= 12 && s !== '' ? make(raw, precision) : fallback(s);
}
const price = (s: string) => parseFixed(s, Price.fromRaw, (x) => Price.parse(x));
const quantity = (s: string) => parseFixed(s, Quantity.fromRaw, (x) => Quantity.parse(x));

function barsToCopyText(bars: readonly Bar[]): string {
  let out = '';
  for (const b of bars) {
    out += `${copyText(b.instrumentId)}\t${copyText(BarSpec.toString(b.spec))}\t${b.tsOpen}\t${b.tsEvent}\t${b.open.toString()}\t${b.high.toString()}\t${b.low.toString()}\t${b.close.toString()}\t${b.volume.toString()}\t${b.tradeCount}\t${b.tsInit}\t${b.tsOpen}\t${b.tsOpen}\n`;
  }
  return out;
}

interface TradeRow {
  instrument_id: string;
  ts_event: number;
  trade_id: string;
  price: string;
  size: string;
  aggressor_side: string;
  ts_init: number;
}

function tradeFromRow(r: TradeRow): TradeTick {
  return {
    type: 'trade',
    instrumentId: r.instrument_id as InstrumentId,
    price: price(r.price),
    size: quantity(r.size),
    aggressorSide: sideFromCode(r.aggressor_side),
    tradeId: r.trade_id as TradeId,
    tsEvent: UnixMicros.unsafe(r.ts_event),
    tsInit: UnixMicros.unsafe(r.ts_init),
  };
}

/** Bars per read statement: bounds one COPY output (about 130 bytes per bar). */
const BAR_PAGE = 50_000;

/** An integer bound for a COPY statement, which takes no parameters. */
function int(x: number, what: string): string {
  if (!Number.isSafeInteger(x)) throw new RangeError(`${what} must be a safe integer, got ${x}`);
  return String(x);
}

/**
 * Rolls newly inserted source bars (from the staging table) into their targets in the same statement:
 * the data-modifying CTE returns only rows that were really new, so a replayed bar is never counted twice.
 * Within a batch, bars of one bucket are pre-combined (ON CONFLICT DO UPDATE may touch a row only once per
 * statement); against the stored row, open comes from the earliest constituent and close from the latest,
 * by their open times, so minute bars may arrive in any order.
 */
const INSERT_BARS_WITH_ROLLUP = `
WITH ins AS (
  INSERT INTO bars (${BAR_COLUMNS.join(', ')})
  SELECT ${BAR_COLUMNS.join(', ')} FROM tw_stage_bars
  ON CONFLICT (instrument_id, spec, ts_open) DO NOTHING
  RETURNING instrument_id, spec, ts_open, open, high, low, close, volume, trade_count, ts_init
), agg AS (
  SELECT i.instrument_id, r.target_spec AS spec, i.ts_open - i.ts_open % r.duration_micros AS ts_open,
         r.duration_micros AS dur,
         (array_agg(i.open ORDER BY i.ts_open))[1] AS open,
         max(i.high) AS high, min(i.low) AS low,
         (array_agg(i.close ORDER BY i.ts_open DESC))[1] AS close,
         sum(i.volume) AS volume, sum(i.trade_count) AS trade_count, max(i.ts_init) AS ts_init,
         min(i.ts_open) AS first_ts, max(i.ts_open) AS last_ts
    FROM ins i JOIN tw_rollup_targets r ON r.source_spec = i.spec
   GROUP BY 1, 2, 3, 4
), up AS (
  INSERT INTO bars AS b (${BAR_COLUMNS.join(', ')})
  SELECT instrument_id, spec, ts_open, ts_open + dur, open, high, low, close, volume, trade_count, ts_init, first_ts, last_ts
    FROM agg
  ON CONFLICT (instrument_id, spec, ts_open) DO UPDATE SET
    open = CASE WHEN excluded.first_ts < b.first_ts THEN excluded.open ELSE b.open END,
    close = CASE WHEN excluded.last_ts > b.last_ts THEN excluded.close ELSE b.close END,
    high = greatest(b.high, excluded.high),
    low = least(b.low, excluded.low),
    volume = b.volume + excluded.volume,
    trade_count = b.trade_count + excluded.trade_count,
    ts_init = greatest(b.ts_init, excluded.ts_init),
    first_ts = least(b.first_ts, excluded.first_ts),
    last_ts = greatest(b.last_ts, excluded.last_ts)
  RETURNING 1
)
SELECT (SELECT count(*) FROM ins)::int AS inserted, (SELECT count(*) FROM up)::int AS rolled`;

export interface SqlMarketStoreOptions {
  /**
   * Try COPY straight into the partitioned table first and fall back to staging + ON CONFLICT only when the
   * batch holds a duplicate. Fresh data (the common case) then costs one COPY. Default true.
   */
  readonly optimisticCopy?: boolean;
  /** Bars per read query (default 50,000); longer reads page through the index. */
  readonly barPage?: number;
}

/** MarketDataStore over any SqlDriver (PostgreSQL or PGlite): same SQL, same migrations. */
export class SqlMarketStore implements MarketDataStore {
  /** Day buckets whose partitions are known to exist, per table: skips the catalog round trip. */
  private readonly knownDays = { trades: new Set<number>(), bars: new Set<number>() };
  private readonly optimisticCopy: boolean;
  private readonly encoder = new TradeCopyEncoder();
  private readonly barPage: number;

  constructor(
    readonly db: SqlDriver,
    options: SqlMarketStoreOptions = {},
  ) {
    this.optimisticCopy = options.optimisticCopy ?? true;
    this.barPage = options.barPage ?? BAR_PAGE;
    if (!Number.isSafeInteger(this.barPage) || this.barPage < 1) throw new RangeError(`barPage must be a positive integer, got ${this.barPage}`);
  }

  /**
   * Makes sure partitions exist for every day the batch touches, inside the batch's transaction. Returns the
   * days it checked, which the caller remembers only once the transaction has committed (a rolled-back
   * CREATE TABLE must be redone on retry).
   */
  private async ensurePartitions(tx: SqlTransaction, table: 'trades' | 'bars', timestamps: Iterable<number>): Promise<number[]> {
    const known = this.knownDays[table];
    const missing = new Set<number>();
    for (const ts of timestamps) {
      const day = ts - (ts % MICROS_PER_DAY);
      if (!known.has(day)) missing.add(day);
    }
    if (missing.size === 0) return [];
    const days = [...missing];
    await tx.query(`SELECT tw_ensure_partitions_for($1, $2::bigint[])`, [table, days]);
    return days;
  }

  private remember(table: 'trades' | 'bars', days: readonly number[]): void {
    for (const d of days) this.knownDays[table].add(d);
  }

  async insertTrades(trades: readonly TradeTick[]): Promise<WriteResult> {
    return this.withPartitionRetry('trades', () => this.insertTradesOnce(trades));
  }

  async insertBars(bars: readonly Bar[]): Promise<WriteResult> {
    return this.withPartitionRetry('bars', () => this.insertBarsOnce(bars));
  }

  /**
   * A partition this process believed to exist was dropped behind its back (retention run by another
   * process, or by hand): the row finds no partition (23514). Forget what we knew and try once more, which
   * recreates it.
   */
  private async withPartitionRetry<T>(table: 'trades' | 'bars', work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (sqlState(err) !== '23514' || this.knownDays[table].size === 0) throw err;
      this.knownDays[table].clear();
      return work();
    }
  }

  private async insertTradesOnce(trades: readonly TradeTick[]): Promise<WriteResult> {
    if (trades.length === 0) return { received: 0, inserted: 0 };
    const data = this.encoder.encode(trades);
    let days: number[] = [];
    const result = await this.db.transaction(async (tx): Promise<WriteResult> => {
      days = await this.ensurePartitions(tx, 'trades', trades.map((t) => t.tsEvent));
      if (this.optimisticCopy) {
        await tx.query('SAVEPOINT tw_copy');
        try {
          await tx.copyIn('trades', TRADE_COLUMNS, data);
          return { received: trades.length, inserted: trades.length };
        } catch (err) {
          if (sqlState(err) !== '23505') throw err;
          await tx.query('ROLLBACK TO SAVEPOINT tw_copy');
        }
      }
      await tx.query(`CREATE TEMP TABLE IF NOT EXISTS tw_stage_trades (LIKE trades INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      await tx.copyIn('tw_stage_trades', TRADE_COLUMNS, data);
      const rows = await tx.query<{ n: number }>(
        `WITH ins AS (INSERT INTO trades SELECT * FROM tw_stage_trades ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
      );
      return { received: trades.length, inserted: rows[0].n };
    });
    this.remember('trades', days);
    return result;
  }

  private async insertBarsOnce(bars: readonly Bar[]): Promise<WriteResult> {
    if (bars.length === 0) return { received: 0, inserted: 0 };
    const data = barsToCopyText(bars);
    let days: number[] = [];
    const result = await this.db.transaction(async (tx): Promise<WriteResult> => {
      days = await this.ensurePartitions(tx, 'bars', bars.map((b) => b.tsOpen));
      await tx.query(`CREATE TEMP TABLE IF NOT EXISTS tw_stage_bars (LIKE bars INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
      await tx.copyIn('tw_stage_bars', BAR_COLUMNS, data);
      const rows = await tx.query<{ inserted: number }>(INSERT_BARS_WITH_ROLLUP);
      return { received: bars.length, inserted: rows[0].inserted };
    });
    this.remember('bars', days);
    return result;
  }

  /**
   * Writes every batch of `source` in one transaction: all of it or (when the source throws, say on a bad
   * row) none of it. Rows already stored are skipped, so re-importing a file changes nothing.
   */
  async importTrades(source: AsyncIterable<readonly TradeTick[]>): Promise<WriteResult> {
    let days: number[] = [];
    const result = await this.db.transaction(
      async (tx): Promise<WriteResult> => {
        await tx.query(`CREATE TEMP TABLE IF NOT EXISTS tw_stage_trades (LIKE trades INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
        let received = 0;
        for await (const batch of source) {
          if (batch.length === 0) continue;
          days = days.concat(await this.ensurePartitions(tx, 'trades', batch.map((t) => t.tsEvent)));
          await tx.copyIn('tw_stage_trades', TRADE_COLUMNS, this.encoder.encode(batch));
          received += batch.length;
        }
        const rows = await tx.query<{ n: number }>(
          `WITH ins AS (INSERT INTO trades SELECT * FROM tw_stage_trades ON CONFLICT DO NOTHING RETURNING 1)
           SELECT count(*)::int AS n FROM ins`,
        );
        return { received, inserted: rows[0].n };
      },
      { retry: false },
    );
    this.remember('trades', days);
    return result;
  }

  /** Like importTrades, for bars; new one-minute bars roll up as with insertBars. */
  async importBars(source: AsyncIterable<readonly Bar[]>): Promise<WriteResult> {
    let days: number[] = [];
    const result = await this.db.transaction(
      async (tx): Promise<WriteResult> => {
        await tx.query(`CREATE TEMP TABLE IF NOT EXISTS tw_stage_bars (LIKE bars INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
        let received = 0;
        for await (const batch of source) {
          if (batch.length === 0) continue;
          days = days.concat(await this.ensurePartitions(tx, 'bars', batch.map((b) => b.tsOpen)));
          await tx.copyIn('tw_stage_bars', BAR_COLUMNS, barsToCopyText(batch));
          received += batch.length;
        }
        const rows = await tx.query<{ inserted: number }>(INSERT_BARS_WITH_ROLLUP);
        return { received, inserted: rows[0].inserted };
      },
      { retry: false },
    );
    this.remember('bars', days);
    return result;
  }

  async saveInstruments(instruments: readonly Instrument[], tsUpdated: UnixMicros): Promise<void> {
    if (instruments.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const i of instruments) {
        await tx.query(
          `INSERT INTO instruments AS cur (instrument_id, venue, symbol, definition, ts_updated) VALUES ($1, $2, $3, $4::text::jsonb, $5)
           ON CONFLICT (instrument_id) DO UPDATE SET definition = excluded.definition, ts_updated = excluded.ts_updated
           WHERE cur.ts_updated <= excluded.ts_updated`,
          [i.id, i.venue, i.symbol, JSON.stringify(i.toJSON()), tsUpdated],
        );
      }
    });
  }

  async instruments(venue?: Venue): Promise<Instrument[]> {
    const rows = await this.db.query<{ definition: string }>(
      'SELECT definition::text AS definition FROM instruments WHERE ($1::text IS NULL OR venue = $1) ORDER BY instrument_id',
      [venue ?? null],
    );
    return rows.map((r) => Instrument.create(JSON.parse(r.definition) as InstrumentSpec));
  }

  async trades(instrumentId: InstrumentId, range: TimeRange, limit = 1_000_000): Promise<TradeTick[]> {
    const rows = await this.db.query<TradeRow>(
      `SELECT instrument_id, ts_event, trade_id, price::text, size::text, aggressor_side, ts_init FROM trades
        WHERE instrument_id = $1 AND ts_event >= $2 AND ts_event < $3
        ORDER BY ts_event, trade_id LIMIT $4`,
      [instrumentId, range.from, range.to, limit],
    );
    return rows.map(tradeFromRow);
  }

  // Bars are read with binary COPY (bar-copy.ts) of a plpgsql function whose plan the session keeps (migration
  // 0006): no planning and no text formatting on the server, no row objects or strings on the client. Long
  // reads page through the primary key, barPage bars per statement.
  private readBarPage(instrumentId: InstrumentId, spec: BarSpec, call: string): Promise<Bar[]> {
    // order from the function's ORDER BY: COPY of a plain function scan keeps the rows in the order returned
    return this.db.copyOutBinary(`SELECT ${BAR_COPY_COLUMNS} FROM ${call}`, (bytes) => decodeBarCopy(bytes, instrumentId, spec));
  }

  async bars(instrumentId: InstrumentId, spec: BarSpec, range: TimeRange, limit = 1_000_000): Promise<Bar[]> {
    const id = quoteLiteral(instrumentId);
    const specText = quoteLiteral(BarSpec.toString(spec));
    const out: Bar[] = [];
    let from: number = range.from;
    const to = int(range.to, 'range.to');
    while (out.length < limit) {
      const want = Math.min(this.barPage, limit - out.length);
      const page = await this.readBarPage(instrumentId, spec, `tw_bars_between(${id}, ${specText}, ${int(from, 'range.from')}, ${to}, ${int(want, 'limit')})`);
      for (const b of page) out.push(b);
      if (page.length < want) break;
      from = page[page.length - 1].tsOpen + 1;
    }
    return out;
  }

  async lastBars(instrumentId: InstrumentId, spec: BarSpec, count: number, before?: UnixMicros): Promise<Bar[]> {
    const id = quoteLiteral(instrumentId);
    const specText = quoteLiteral(BarSpec.toString(spec));
    const pages: Bar[][] = [];
    let got = 0;
    let until: number = before ?? Number.MAX_SAFE_INTEGER;
    while (got < count) {
      const want = Math.min(this.barPage, count - got);
      const page = await this.readBarPage(instrumentId, spec, `tw_bars_before(${id}, ${specText}, ${int(until, 'before')}, ${int(want, 'count')})`);
      page.reverse();
      pages.push(page);
      got += page.length;
      if (page.length < want) break;
      until = page[0].tsOpen;
    }
    if (pages.length === 1) return pages[0];
    return pages.reverse().flat();
  }

  async countTrades(instrumentId?: InstrumentId): Promise<number> {
    const rows =
      instrumentId === undefined
        ? await this.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM trades')
        : await this.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM trades WHERE instrument_id = $1', [instrumentId]);
    return rows[0].n;
  }

  async maintain(now: UnixMicros): Promise<PartitionMaintenance[]> {
    const rows = await this.db.query<{ table_name: string; created: number; dropped: string[] }>(
      'SELECT table_name, created, dropped FROM tw_maintain_partitions($1)',
      [now],
    );
    if (rows.some((r) => r.dropped.length > 0)) {
      this.knownDays.trades.clear();
      this.knownDays.bars.clear();
    }
    return rows.map((r) => ({ table: r.table_name, created: r.created, dropped: r.dropped }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
