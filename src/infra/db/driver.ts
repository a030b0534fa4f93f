/**
 * The small SQL surface the stores need, implemented over the `postgres` client (PostgreSQL servers) and
 * over PGlite (embedded). Both speak the same SQL, so one store implementation serves both.
 * Rows come back with int8 as `number` (our microsecond timestamps are safe integers) and numeric as the
 * exact decimal string.
 */
export interface QueryOptions {
  readonly prepare?: boolean;
}

export interface SqlExecutor {
  /**
   * One parameterised statement ($1, $2, ...). `prepare` keeps it as a named prepared statement on each
   * connection (parsed and planned once): for hot statements whose text never changes.
   */
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[], options?: QueryOptions): Promise<R[]>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlTransaction extends SqlExecutor {
  /** Runs `COPY <table> (<columns>) FROM STDIN` with `data` in PostgreSQL text format (UTF-8 bytes or a string). */
  copyIn(table: string, columns: readonly string[], data: string | Uint8Array): Promise<void>;
}

export interface SqlDriver extends SqlExecutor {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in a transaction; rolled back when it throws. Retried as a whole on transient errors unless
   * `retry` is false (a body that consumes a one-shot source, such as a file being streamed, cannot rerun).
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>, options?: { retry?: boolean }): Promise<T>;
  /**
   * Runs `COPY (<select>) TO STDOUT (FORMAT binary)` and hands the whole output to `decode`. The bytes are
   * valid only during that call (the driver reuses its buffers). COPY takes no parameters: values in
   * `select` must be literals made with `quoteLiteral` or checked integers.
   */
  copyOutBinary<T>(select: string, decode: (bytes: Uint8Array) => T): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE classes and codes after which the same work may simply be tried again. */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '57P01', // admin_shutdown (server stopped or restarted)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '53300', // too_many_connections
  '55P03', // lock_not_available
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
]);

/** True for connection loss, server restart and serialization failures: the caller should retry. */
export function isTransientDbError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** SQLSTATE of a database error, if it has one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}


/**
 * Single-quotes a string as an SQL literal for a statement that takes no parameters (COPY). Both drivers
 * keep `standard_conforming_strings` on (PostgreSQL's default since 9.1), so a backslash is an ordinary
 * character and doubling quotes is the whole escape. NUL cannot be stored in text and is refused.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('an SQL text literal cannot contain NUL');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Double-quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
