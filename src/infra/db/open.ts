import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { TradewindError } from '../../core/errors.js';
import type { SqlDriver } from './driver.js';
import { loadMigrations, migrate } from './migrate.js';
import { PgliteDriver } from './pglite-driver.js';
import { PostgresDriver } from './postgres-driver.js';

export class SchemaOutOfDateError extends TradewindError {}

export interface OpenDatabaseOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * 'auto' (default): the embedded database migrates itself; a PostgreSQL server is migrated only by
   * `tradewind db migrate`, so a schema behind the code is an error. 'none': neither (for that command).
   */
  readonly schema?: 'auto' | 'none';
}

/** Where the embedded database lives: $TRADEWIND_HOME/pglite, TRADEWIND_HOME defaulting to ./var. */
export function pgliteDir(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.TRADEWIND_HOME || './var', 'pglite');
}

/** Describes the database without its password, for messages. */
export function describeDatabase(env: NodeJS.ProcessEnv, cwd: string): string {
  const url = env.TRADEWIND_DATABASE_URL;
  return url ? `PostgreSQL ${url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@')}` : `PGlite ${pgliteDir(env, cwd)}`;
}

/** PostgreSQL when TRADEWIND_DATABASE_URL is set, otherwise the embedded PGlite database. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<SqlDriver> {
  const url = options.env.TRADEWIND_DATABASE_URL;
  if (url) {
    const db = await PostgresDriver.open({ url });
    try {
      if (options.schema !== 'none') await checkSchema(db);
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  }
  const dir = pgliteDir(options.env, options.cwd);
  mkdirSync(dir, { recursive: true });
  const db = await PgliteDriver.open(dir);
  try {
    if (options.schema !== 'none') await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

async function checkSchema(db: SqlDriver): Promise<void> {
  const latest = loadMigrations().length;
  let current = 0;
  try {
    const rows = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM tw_schema_migrations');
    current = rows[0]?.v ?? 0;
  } catch {
    current = 0;
  }
  if (current < latest) {
    throw new SchemaOutOfDateError(`the database schema is at version ${current}, the code needs ${latest}: run \`tradewind db migrate\``);
  }
}
