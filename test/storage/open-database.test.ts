/** openDatabase and the CLI against a PostgreSQL server (TRADEWIND_DATABASE_URL), in a schema of its own. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SchemaOutOfDateError, describeDatabase, openDatabase, pgliteDir } from '../../src/infra/db/open.js';
import { runCli } from '../../src/cli/run.js';
import { openPgSchema, pgUrl } from './backends.js';

describe('openDatabase', () => {
  it('names the database without its password', () => {
    expect(describeDatabase({ TRADEWIND_DATABASE_URL: 'postgres://tw:secret@db:5432/tw' }, '/x')).toBe('PostgreSQL postgres://tw:***@db:5432/tw');
    expect(describeDatabase({ TRADEWIND_HOME: '/data/tw' }, '/x')).toBe('PGlite /data/tw/pglite');
    expect(pgliteDir({}, '/srv')).toBe('/srv/var/pglite');
  });

  it.runIf(pgUrl !== undefined && pgUrl !== '')('refuses a server whose schema is behind until `db migrate` runs', async () => {
    const opened = await openPgSchema(pgUrl as string, { migrate: false });
    try {
      const url = new URL(pgUrl as string);
      url.searchParams.set('search_path', opened.schema);
      const env = { TRADEWIND_DATABASE_URL: url.toString() };
      await expect(openDatabase({ env, cwd: '/' })).rejects.toBeInstanceOf(SchemaOutOfDateError);
      let out = '';
      const io = {
        stdout: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }),
        stderr: new Writable({ write: (_c, _e, cb) => cb() }),
        env,
        cwd: '/',
      };
      expect(await runCli(['db', 'migrate'], io)).toBe(0);
      expect(out).toMatch(/^PostgreSQL .*: applied 1, 2, 3, 4, 5, 6; schema version 6\n$/);
      const db = await openDatabase({ env, cwd: '/' });
      const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'tw_schema_migrations'`, [opened.schema]);
      expect(row.n).toBe(1);
      await db.close();
    } finally {
      await opened.cleanup();
    }
  });
});
