import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../infra/config/config.js';
import { createLogger } from '../../infra/logging/logger.js';
import { startPlatform } from '../../services/platform.js';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../command.js';

const help = `Usage: tradewind start [--config <file>] [--duration <seconds>]

Runs Tradewind in one process (what \`npm start\` runs): by default the built-in exchange simulator
(Binance protocol, synthetic markets for BTCUSDT and ETHUSDT), the Binance data client connected to
it, the kernel (bus, cache, data engine), time bars per symbol, indicators on every closed bar, the
embedded PGlite database under $TRADEWIND_HOME (./var) and an HTTP server on 127.0.0.1:8080:

  GET /health                                 liveness
  GET /metrics                                Prometheus metrics
  GET /api/status                             feed state, counts, latest bars with indicator values
  GET /api/bars?instrument=BTCUSDT.BINANCE&spec=1m&limit=100
                                              stored bars, oldest first

Logs are JSON lines (pino), one per closed bar among them. SIGINT or SIGTERM stops it cleanly: the
feed closes, buffered rows are written, the database closes.

Options:
  --config <file>     JSON config file (also TRADEWIND_CONFIG); see docs/configuration.md
  --duration <s>      stop by itself after this many seconds (default: run until stopped)

Configuration comes from defaults, the file and TRADEWIND_* variables (docs/configuration.md), e.g.
TRADEWIND_HTTP_PORT=0 picks a free port, TRADEWIND_SYMBOLS=BTCUSDT,SOLUSDT, TRADEWIND_BARS=1m,5m,
TRADEWIND_MARKET_SOURCE=binance connects to the real venue instead of the simulator; with BINANCE_API_KEY set,
trades missed in a gap are fetched back by id (historicalTrades), without it from the recent trades only.`;

export const startCommand: Command = {
  name: 'start',
  summary: 'run the platform in one process (simulator or venue, bars, indicators, store, HTTP)',
  help,
  async run(argv, io) {
    const { values } = parseArgs({ args: [...argv], options: { config: { type: 'string' }, duration: { type: 'string' } }, strict: true });
    const duration = values.duration === undefined ? undefined : Number(values.duration);
    if (duration !== undefined && !(duration > 0)) throw new UsageError(`--duration must be a positive number of seconds: ${values.duration}`);
    let config;
    try {
      config = loadConfig({ ...(values.config === undefined ? {} : { file: values.config }), env: io.env, cwd: io.cwd });
    } catch (err) {
      if (err instanceof ConfigError) {
        io.stderr.write(`tradewind start: ${err.message}\n`);
        return ExitCode.BadInput;
      }
      throw err;
    }
    const logger = createLogger({ level: config.log.level, destination: io.stdout as never });
    const platform = await startPlatform({ config, logger, env: io.env, cwd: io.cwd });
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      if (duration !== undefined) setTimeout(done, duration * 1000).unref();
    });
    await platform.stop();
    return ExitCode.Ok;
  },
};
