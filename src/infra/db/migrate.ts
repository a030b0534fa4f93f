import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TradewindError } from '../../core/errors.js';
import type { SqlDriver } from './driver.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export class MigrationError extends TradewindError {}

/**
 * The .sql files live beside the sources; a build to dist/ does not copy them, so fall back to src/.
 */
export function migrationsDir(): string {
  const here = fileURLToPath(new URL('./migrations/', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../../src/infra/db/migrations/', import.meta.url));
}

/** Reads `NNNN_name.sql` files in version order. */
export function loadMigrations(dir: string = migrationsDir()): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    out.push({ version: Number(m[1]), name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i].version !== i + 1) throw new MigrationError(`migration versions must be 1..n without gaps; found ${out[i].version} at position ${i + 1}`);
  }
  return out;
}

export interface MigrateResult {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Applies the migrations not yet recorded in `tw_schema_migrations`, each in its own transaction together
 * with its version row, under an advisory lock so that concurrent services do not race. A re-run applies
 * nothing; an applied migration whose file has changed is an error (migrations are append-only).
 */
export async function migrate(db: SqlDriver, migrations: readonly Migration[] = loadMigrations()): Promise<MigrateResult> {
  await db.exec(`CREATE TABLE IF NOT EXISTS tw_schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7325001)');
      const rows = await tx.query<{ checksum: string }>('SELECT checksum FROM tw_schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) {
        if (rows[0].checksum !== m.checksum) {
          throw new MigrationError(`migration ${m.version}_${m.name} was changed after it was applied (checksum differs)`);
        }
        return false;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO tw_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  const [row] = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM tw_schema_migrations');
  return { applied, current: row?.v ?? 0 };
}
