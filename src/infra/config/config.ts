import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The one typed, validated configuration of a Tradewind process: defaults that run offline, then a JSON
 * file, then environment variables (highest precedence). Secrets (venue keys) are never part of it: they
 * are read from the environment or secret files by the component that needs them.
 */

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const port = z.coerce.number().int().min(0).max(65_535);
const url = z.string().url();

export const ConfigSchema = z
  .object({
    /** Where embedded state lives (PGlite database, captures). */
    home: z.string().min(1).default('./var'),
    /** The real-data folder for evaluations and benchmarks. */
    dataDir: z.string().min(1).default('../shared/data'),
    log: z.object({ level: logLevel.default('info'), pretty: z.boolean().default(false) }).strict().default({ level: 'info', pretty: false }),
    http: z
      .object({ host: z.string().min(1).default('127.0.0.1'), port: port.default(8080) })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    /** PostgreSQL URL; unset means the embedded PGlite database under `home`. */
    database: z.object({ url: url.optional() }).strict().default({}),
    /** Redis URL; unset means the in-memory hot cache. */
    redis: z.object({ url: url.optional() }).strict().default({}),
    /** NATS URL; unset means the in-process bus. */
    nats: z.object({ url: url.optional() }).strict().default({}),
    marketData: z
      .object({
        /** `sim`: start the built-in exchange simulator and connect to it; `binance`: the real venue. */
        source: z.enum(['sim', 'binance']).default('sim'),
        symbols: z.array(z.string().regex(/^[A-Z0-9]{2,20}$/, 'symbols are upper-case venue symbols, e.g. BTCUSDT')).min(1).default(['BTCUSDT', 'ETHUSDT']),
        sim: z
          .object({ seed: z.coerce.number().int().default(42), port: port.default(0), speed: z.coerce.number().positive().default(1) })
          .strict()
          .default({ seed: 42, port: 0, speed: 1 }),
        binance: z
          .object({ wsUrl: url.default('wss://stream.binance.com:9443'), restUrl: url.default('https://api.binance.com') })
          .strict()
          .default({ wsUrl: 'wss://stream.binance.com:9443', restUrl: 'https://api.binance.com' }),
      })
      .strict()
      .default({
        source: 'sim',
        symbols: ['BTCUSDT', 'ETHUSDT'],
        sim: { seed: 42, port: 0, speed: 1 },
        binance: { wsUrl: 'wss://stream.binance.com:9443', restUrl: 'https://api.binance.com' },
      }),
    /** Bar specs built from trades for every symbol, e.g. `1m`, `5m`, `1h`. */
    bars: z.array(z.string().min(2)).min(1).default(['1m']),
    /** Indicators computed on every bar, in the `tradewind indicators --spec` syntax. */
    indicators: z.string().default('rsi(14),ema(20),bbands(20,2)'),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;

/** Environment variables and the config path each one sets. */
export const ENV_VARS: readonly (readonly [string, string, string])[] = [
  ['TRADEWIND_HOME', 'home', 'folder for embedded state (default ./var)'],
  ['TRADEWIND_DATA_DIR', 'dataDir', 'real-data folder (default ../shared/data)'],
  ['TRADEWIND_LOG_LEVEL', 'log.level', 'fatal|error|warn|info|debug|trace|silent'],
  ['TRADEWIND_HTTP_HOST', 'http.host', 'address the HTTP server binds to'],
  ['TRADEWIND_HTTP_PORT', 'http.port', 'port of the HTTP server (0 picks a free one)'],
  ['TRADEWIND_DATABASE_URL', 'database.url', 'PostgreSQL URL (unset: embedded PGlite)'],
  ['TRADEWIND_REDIS_URL', 'redis.url', 'Redis URL (unset: in-memory cache)'],
  ['TRADEWIND_NATS_URL', 'nats.url', 'NATS URL (unset: in-process bus)'],
  ['TRADEWIND_MARKET_SOURCE', 'marketData.source', 'sim|binance'],
  ['TRADEWIND_SYMBOLS', 'marketData.symbols', 'comma-separated venue symbols'],
  ['TRADEWIND_SIM_SEED', 'marketData.sim.seed', 'seed of the synthetic market'],
  ['TRADEWIND_BARS', 'bars', 'comma-separated bar specs'],
  ['TRADEWIND_INDICATORS', 'indicators', 'indicator spec'],
];

const LIST_PATHS = new Set(['marketData.symbols', 'bars']);

/** A configuration that does not validate: lists every problem with its path and source. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`${message}:\n${issues.map((i) => `  - ${i}`).join('\n')}`, options);
    this.name = 'ConfigError';
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export interface LoadConfigOptions {
  /** Path of a JSON config file; also taken from TRADEWIND_CONFIG. Missing file is an error when given. */
  readonly file?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/** Loads, merges and validates the configuration. Relative paths are resolved against `cwd`. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? env.TRADEWIND_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file !== undefined && file !== '') {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new ConfigError('cannot read the config file', [`${path}: ${(err as Error).message}`], { cause: err });
    }
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the top level must be an object');
      raw = parsed as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError('the config file is not valid JSON', [`${path}: ${(err as Error).message}`], { cause: err });
    }
  }
  for (const [name, path] of ENV_VARS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, path, LIST_PATHS.has(path) ? value.split(',').map((s) => s.trim()).filter((s) => s !== '') : value);
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    const envByPath = new Map(ENV_VARS.map(([name, path]) => [path, name]));
    const issues = result.error.issues.map((issue) => {
      const path = issue.path.join('.');
      const fromEnv = envByPath.get(path) ?? envByPath.get(issue.path.slice(0, -1).join('.'));
      const source = fromEnv !== undefined && env[fromEnv] !== undefined ? ` (from ${fromEnv})` : '';
      return `${path || '(root)'}: ${issue.message}${source}`;
    });
    throw new ConfigError('invalid configuration', issues);
  }
  const config = result.data;
  return { ...config, home: resolve(cwd, config.home), dataDir: resolve(cwd, config.dataDir) };
}
