import { parseArgs } from 'node:util';
import { UnixMicros } from '../../core/index.js';
import { describeDatabase, openDatabase } from '../../infra/db/open.js';
import { loadMigrations, migrate } from '../../infra/db/migrate.js';
import { SqlMarketStore } from '../../infra/store/sql-market-store.js';
import type { Command, CommandIo } from '../command.js';
import { ExitCode, UsageError } from '../command.js';

const migrateHelp = `Usage: tradewind db migrate

Applies the SQL migrations (src/infra/db/migrations/NNNN_name.sql) that the database has not applied yet,
each in its own transaction with its row in tw_schema_migrations. Running it again applies nothing. A
migration file changed after it was applied is an error (migrations are append-only).

Database: PGlite under $TRADEWIND_HOME (default ./var), PostgreSQL when TRADEWIND_DATABASE_URL is set.
Output: the versions applied and the current version.
Exit codes: 0 success; 1 a migration failed (it was rolled back; earlier ones stay applied).
`;

export const dbMigrateCommand: Command = {
  name: 'db migrate',
  summary: 'Apply pending database migrations',
  help: migrateHelp,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    if (argv.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(argv[0])}`);
    const db = await openDatabase({ env: io.env, cwd: io.cwd, schema: 'none' });
    try {
      const result = await migrate(db, loadMigrations());
      io.stdout.write(
        `${describeDatabase(io.env, io.cwd)}: ${result.applied.length === 0 ? 'up to date' : `applied ${result.applied.join(', ')}`}; schema version ${result.current}\n`,
      );
    } finally {
      await db.close();
    }
    return ExitCode.Ok;
  },
};

const maintainHelp = `Usage: tradewind db maintain [--now <ISO date>]

Partition maintenance: creates the partitions of every time-partitioned table for now and the configured
number ahead (tw_partition_policy.ahead: trades 2 days, bars 1 month), and drops partitions older than the
table's retention (tw_partition_policy.retention_micros; NULL keeps everything). Run it daily (cron, or
the data service does it); writers also create the partitions a batch needs before writing it.

Output: one line per table: partitions created and dropped.
`;

export const dbMaintainCommand: Command = {
  name: 'db maintain',
  summary: 'Create partitions ahead and drop those past retention',
  help: maintainHelp,
  async run(argv: readonly string[], io: CommandIo): Promise<number> {
    const { values } = parseArgs({ args: [...argv], options: { now: { type: 'string' } } });
    let now: UnixMicros;
    try {
      now = values.now === undefined ? UnixMicros.of(Date.now() * 1000) : UnixMicros.parseIso(values.now);
    } catch (err) {
      throw new UsageError(`--now: ${(err as Error).message}`);
    }
    const store = new SqlMarketStore(await openDatabase({ env: io.env, cwd: io.cwd }));
    try {
      for (const r of await store.maintain(now)) {
        io.stdout.write(`${r.table}: ${r.created} created, ${r.dropped.length} dropped${r.dropped.length > 0 ? ` (${r.dropped.join(', ')})` : ''}\n`);
      }
    } finally {
      await store.close();
    }
    return ExitCode.Ok;
  },
};
