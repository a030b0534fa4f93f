/**
 * The SQL backends every storage contract suite runs against: PGlite always (in memory, fresh per run),
 * PostgreSQL when TRADEWIND_TEST_PG_URL is set. Each PostgreSQL run gets a schema of its own, dropped after;
 * a set but unreachable server makes `open` throw, which fails the suite instead of skipping it.
 */
import { randomBytes } from 'node:crypto';
import type { SqlDriver } from '../../src/infra/db/driver.js';
import { PgliteDriver } from '../../src/infra/db/pglite-driver.js';
import { PostgresDriver } from '../../src/infra/db/postgres-driver.js';
import { migrate } from '../../src/infra/db/migrate.js';

export interface OpenedDb {
  readonly driver: SqlDriver;
  cleanup(): Promise<void>;
}

export interface SqlBackend {
  readonly name: string;
  open(options?: { migrate?: boolean }): Promise<OpenedDb>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export const pgUrl = process.env.TRADEWIND_TEST_PG_URL;

export async function openPgSchema(url: string, options: { migrate?: boolean; maxAttempts?: number } = {}): Promise<OpenedDb & { schema: string }> {
  const schema = uniqueName('tw_test');
  const admin = await PostgresDriver.open({ url, max: 1 });
  await admin.exec(`CREATE SCHEMA ${schema}`);
  const driver = await PostgresDriver.open({ url, schema, max: 4, maxAttempts: options.maxAttempts ?? 5 });
  if (options.migrate !== false) await migrate(driver);
  return {
    driver,
    schema,
    async cleanup() {
      await driver.close().catch(() => {});
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.close();
    },
  };
}

export function sqlBackends(): SqlBackend[] {
  const out: SqlBackend[] = [
    {
      name: 'pglite',
      async open(options = {}) {
        const driver = await PgliteDriver.open();
        if (options.migrate !== false) await migrate(driver);
        return { driver, cleanup: () => driver.close() };
      },
    },
  ];
  if (pgUrl !== undefined && pgUrl !== '') {
    out.push({ name: 'postgres', open: (options = {}) => openPgSchema(pgUrl, options) });
  }
  return out;
}
