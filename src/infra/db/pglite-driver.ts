import { PGlite, types } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { SqlDriver, SqlTransaction } from './driver.js';
import { quoteIdent } from './driver.js';

const parsers = {
  [types.INT8]: (x: string) => Number(x),
  [types.NUMERIC]: (x: string) => x,
};

function wrapTx(tx: Transaction): SqlTransaction {
  return {
    async query<R extends object>(text: string, params: readonly unknown[] = []) {
      const r = await tx.query<R>(text, params as unknown[], { parsers });
      return r.rows;
    },
    async exec(script: string) {
      await tx.exec(script);
    },
    async copyIn(table: string, columns: readonly string[], data: string | Uint8Array) {
      const cols = columns.map(quoteIdent).join(', ');
      await tx.query(`COPY ${quoteIdent(table)} (${cols}) FROM '/dev/blob'`, [], { blob: new Blob([data]) });
    },
  };
}

/** PostgreSQL in WebAssembly, in this process. `dataDir` undefined means in memory. */
export class PgliteDriver implements SqlDriver {
  readonly kind = 'pglite' as const;
  private constructor(readonly db: PGlite) {}

  static async open(dataDir?: string): Promise<PgliteDriver> {
    const db = await PGlite.create(dataDir, { parsers });
    return new PgliteDriver(db);
  }

  async query<R extends object>(text: string, params: readonly unknown[] = []): Promise<R[]> {
    const r = await this.db.query<R>(text, params as unknown[]);
    return r.rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async copyOutBinary<T>(select: string, decode: (bytes: Uint8Array) => T): Promise<T> {
    const r = await this.db.query(`COPY (${select}) TO '/dev/blob' (FORMAT binary)`);
    if (r.blob === undefined) throw new Error('PGlite returned no COPY output');
    return decode(new Uint8Array(await r.blob.arrayBuffer()));
  }

  // PGlite is one session: transactions are serialised by the library, and there is nothing transient to retry.
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(wrapTx(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
