import { parseArgs } from 'node:util';
import { isSimVenue, SIM_VENUES, startSimulator } from '../../adapters/sim/launch.js';
import { CaptureFormatError } from '../../adapters/sim/replay/capture.js';
import { ReplayError } from '../../adapters/sim/replay/feed.js';
import { TradeCsvError } from '../../adapters/sim/replay/trades-csv.js';
import { parseSymbolsOption } from '../../adapters/sim/symbols.js';
import { ExitCode, UsageError, type Command, type CommandIo } from '../command.js';

const help = `Usage: tradewind sim [options]

Runs the exchange simulator on its own: a WebSocket and REST server that speaks the venue's public
market-data protocol over synthetic markets (or a replayed capture), and prints its URLs.

Options:
  --venue <name>       ${SIM_VENUES.join(' | ')} (default binance)
  --host <addr>        address to listen on (default 127.0.0.1)
  --port <n>           port; 0 picks a free one (default 0)
  --symbols <n|list>   a count of generated symbols (SYM0001USDT...) up to 10000, or a comma list
                       such as BTCUSDT,ETHUSDT (default 10)
  --seed <n>           seed of the synthetic markets; the same seed gives the same frames (default 1)
  --replay <file>      replay a capture (\`URL <- ts: json\` / \`ts: json\` lines) or a trade CSV
                       (timestamp,price,size[,side,id]) instead of synthetic markets
  --speed <x>          real-time multiple, or "max" for as fast as possible (default 1)
  --duration <s>       stop after this many seconds (default: run until SIGINT/SIGTERM)

Output: one "NAME=value" line per endpoint (REST_URL, WS_URL, and the venue's paths), then the
simulator runs until it is stopped.

Examples:
  tradewind sim --symbols BTCUSDT,ETHUSDT --port 9443
  tradewind sim --symbols 1000 --seed 7 --speed max
`;

function parseNumber(v: string | undefined, name: string, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number >= ${min}, got ${JSON.stringify(v)}`);
  return n;
}

async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      venue: { type: 'string', default: 'binance' },
      host: { type: 'string' },
      port: { type: 'string', default: '0' },
      symbols: { type: 'string', default: '10' },
      seed: { type: 'string', default: '1' },
      replay: { type: 'string' },
      speed: { type: 'string', default: '1' },
      duration: { type: 'string' },
    },
    allowPositionals: false,
  });
  const venue = values.venue;
  if (!isSimVenue(venue)) throw new UsageError(`--venue must be one of ${SIM_VENUES.join(', ')}, got ${JSON.stringify(venue)}`);
  const port = parseNumber(values.port, 'port', 0)!;
  if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port must be an integer 0..65535`);
  const seed = parseNumber(values.seed, 'seed', 0)!;
  const speed = values.speed === 'max' ? Number.POSITIVE_INFINITY : parseNumber(values.speed, 'speed', Number.MIN_VALUE)!;
  const duration = parseNumber(values.duration, 'duration', 0);
  let symbols: string[];
  try {
    symbols = parseSymbolsOption(values.symbols);
  } catch (e) {
    throw new UsageError(`--symbols: ${(e as Error).message}`);
  }
  let sim;
  try {
    sim = await startSimulator({
      venue,
      port,
      seed,
      speed,
      symbols,
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.replay === undefined ? {} : { replay: values.replay }),
    });
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    if (e instanceof ReplayError || e instanceof CaptureFormatError || e instanceof TradeCsvError) {
      io.stderr.write(`tradewind sim: --replay: ${e.message}\n`);
      return ExitCode.BadInput;
    }
    io.stderr.write(`tradewind sim: ${(e as Error).message}\n`);
    return ExitCode.Failure;
  }
  io.stdout.write(`VENUE=${venue}\nREST_URL=${sim.restUrl}\nWS_URL=${sim.wsUrl}\n`);
  for (const [name, url] of sim.endpoints) io.stdout.write(`# ${name.padEnd(9)} ${url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (timer !== undefined) clearTimeout(timer);
      resolve();
    };
    const timer = duration === undefined ? undefined : setTimeout(stop, duration * 1000);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  io.stdout.write('# stopped\n');
  return ExitCode.Ok;
}

export const simCommand: Command = {
  name: 'sim',
  summary: 'Run the exchange simulator (Binance, Coinbase or Polygon protocol) and print its URLs',
  help,
  run,
};
