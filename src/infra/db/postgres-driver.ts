import type { Writable } from 'node:stream';
import postgres from 'postgres';
import type { QueryOptions, SqlDriver, SqlTransaction } from './driver.js';
import { isTransientDbError, quoteIdent } from './driver.js';

export interface PostgresDriverOptions {
  readonly url: string;
  /** Pool size. */
  readonly max?: number;
  /** Server-side statement timeout; 0 disables it. */
  readonly statementTimeoutMs?: number;
  /** Schema for unqualified names (a fresh one per test run, say); created by `createSchema`. */
  readonly schema?: string;
  /** Attempts for one query or transaction before a transient error is given up on. */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly onRetry?: (err: unknown, attempt: number) => void;
}

type Sql = postgres.Sql<Record<string, never>>;

/** The parts of a postgres.js query object that COPY error handling relies on. */
interface CopyQuery {
  reject: (err: unknown) => void;
  writable(): Promise<Writable>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function wrapTx(tx: postgres.TransactionSql<Record<string, never>>): SqlTransaction {
  return {
    async query<R extends object>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}) {
      const prepare = options.prepare === true;
      return (await tx.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare })) as unknown as R[];
    },
    async exec(script: string) {
      await tx.unsafe(script);
    },
    async copyIn(table: string, columns: readonly string[], data: string | Uint8Array) {
      const cols = columns.map(quoteIdent).join(', ');
      const query = tx.unsafe(`COPY ${quoteIdent(table)} (${cols}) FROM STDIN`) as unknown as CopyQuery;
      // postgres.js resolves the query with the stream on CopyInResponse and forgets the stream once it is
      // ended, so an error that arrives after end() (a duplicate key, the connection dropping) would leave
      // 'finish' pending forever. It still reports that error through the query's own reject, so listen there.
      let fail: (err: unknown) => void = () => {};
      const failed = new Promise<never>((_, reject) => (fail = reject));
      failed.catch(() => {});
      const originalReject = query.reject;
      query.reject = (err: unknown) => {
        fail(err);
        originalReject.call(query, err);
      };
      const stream = await query.writable();
      const done = new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.once('finish', resolve);
      });
      stream.end(data);
      await Promise.race([done, failed]);
    },
  };
}

/** Largest COPY read buffer kept for reuse (bigger ones were for exceptional reads). */
const MAX_KEPT_COPY_BUFFER = 8 << 20;

/**
 * PostgreSQL over the `postgres` client: a pool, a statement timeout, int8 read as number, and retries of
 * transient failures (connection lost, server restart, serialization failure) with exponential backoff.
 * Retried transactions must be idempotent; every write the stores make is.
 */
export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  /** Connections of their own for COPY reads, opened on first use (see copyOutBinary). */
  private reads: Sql | undefined;
  /** Buffers that copyOutBinary reuses (one per read in flight at most). */
  private readonly copyBuffers: Buffer[] = [];

  private constructor(
    readonly sql: Sql,
    private readonly options: PostgresDriverOptions,
    private readonly makePool: (max: number) => Sql,
  ) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  /** Connects and checks the server is reachable (an unreachable server is an error, not a hang). */
  static async open(options: PostgresDriverOptions): Promise<PostgresDriver> {
    const connection: Record<string, string> = { application_name: 'tradewind' };
    if ((options.statementTimeoutMs ?? 30_000) > 0) connection.statement_timeout = String(options.statementTimeoutMs ?? 30_000);
    if (options.schema !== undefined) connection.search_path = quoteIdent(options.schema);
    connection.standard_conforming_strings = 'on'; // quoteLiteral relies on it
    const makePool = (max: number) =>
      postgres(options.url, {
        max,
        connect_timeout: 10,
        idle_timeout: 30,
        onnotice: () => {},
        connection,
        types: {
          int8: { to: 20, from: [20], serialize: (x: number | bigint) => String(x), parse: (x: string) => Number(x) },
        },
      }) as unknown as Sql;
    const sql = makePool(options.max ?? 4);
    const driver = new PostgresDriver(sql, options, makePool);
    try {
      await sql`select 1`;
    } catch (err) {
      await sql.end({ timeout: 1 });
      throw err;
    }
    return driver;
  }

  private async retrying<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (err) {
        if (attempt >= this.maxAttempts || !isTransientDbError(err)) throw err;
        this.options.onRetry?.(err, attempt);
        await sleep(Math.min(this.retryDelayMs * 2 ** (attempt - 1), 5_000));
      }
    }
  }

  query<R extends object>(text: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<R[]> {
    const prepare = options.prepare === true;
    return this.retrying(async () => (await this.sql.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare })) as unknown as R[]);
  }

  async exec(script: string): Promise<void> {
    await this.retrying(() => this.sql.unsafe(script));
  }

  /**
   * Runs on a pool of two connections of its own, so that a read is never queued behind ingest batches.
   * Each chunk is copied into a buffer the driver keeps for the next read, and the chunks are let go at
   * once: holding on to postgres.js's chunk buffers until the end made every young-generation collection
   * during a read copy megabytes, and those pauses were most of the read's p99 (docs/storage.md).
   */
  copyOutBinary<T>(select: string, decode: (bytes: Uint8Array) => T): Promise<T> {
    this.reads ??= this.makePool(2);
    const reads = this.reads;
    return this.retrying(async () => {
      const stream = await reads.unsafe(`COPY (${select}) TO STDOUT (FORMAT binary)`).readable();
      let buffer = this.copyBuffers.pop() ?? Buffer.allocUnsafe(1 << 16);
      let length = 0;
      try {
        await new Promise<void>((resolve, reject) => {
          stream.on('data', (chunk: Buffer) => {
            if (length + chunk.length > buffer.length) {
              const grown = Buffer.allocUnsafe(Math.max(buffer.length * 2, length + chunk.length));
              buffer.copy(grown, 0, 0, length);
              buffer = grown;
            }
            chunk.copy(buffer, length);
            length += chunk.length;
          });
          // Listened to by events: postgres.js's COPY stream does not end an async iterator it has handed out.
          stream.once('end', () => {
            // postgres.js pauses the socket when a CopyData push finds the stream's buffer full and resumes
            // it only from the stream's _read. When the whole output arrived before anyone read (one socket
            // chunk), the stream ends with the socket still paused and the connection's next query would
            // wait forever; _read() is what resumes it (resuming a flowing socket does nothing).
            (stream as unknown as { _read(size: number): void })._read(0);
            resolve();
          });
          stream.once('error', reject);
          // after 'end' this is a no-op; before it, the connection went away and the read may be retried
          stream.once('close', () => reject(Object.assign(new Error('COPY output stopped before its end'), { code: 'CONNECTION_CLOSED' })));
        });
        return decode(buffer.subarray(0, length));
      } finally {
        // keep a few buffers for the next reads; one grown by a huge read is not worth keeping
        if (this.copyBuffers.length < 2 && buffer.length <= MAX_KEPT_COPY_BUFFER) this.copyBuffers.push(buffer);
      }
    });
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>, options: { retry?: boolean } = {}): Promise<T> {
    const once = async () => (await this.sql.begin((tx) => fn(wrapTx(tx)))) as T;
    return options.retry === false ? once() : this.retrying(once);
  }

  async close(): Promise<void> {
    await Promise.all([this.sql.end({ timeout: 5 }), this.reads?.end({ timeout: 5 })]);
  }
}
