import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RECORD_VENUES, startRecorder, type RecordVenue } from '../../adapters/recording/recorder.js';
import { createLogger } from '../../infra/logging/logger.js';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../command.js';

const help = `Usage: tradewind record --venue <${RECORD_VENUES.join('|')}> --symbols <list> --out <dir>
                        [--duration <s>] [--ws-url <url>] [--rest-url <url>] [--rotate-mb <n>] [--rotate-minutes <n>]

Connects to the venue with Tradewind's own data client and records every raw frame with its receive
time, and every REST response, into gzip-compressed rotating capture files in cryptofeed's line format,
with the normalised events the client produced beside them:

  <dir>/<venue>-<start>.capture.gz       raw frames ("URL <-> ts", "ts: frame", "URL -> ts: body")
  <dir>/<venue>-<start>.events.jsonl.gz  normalised events, one JSON object per line

\`tradewind replay --capture <file>\` replays a capture through the same parsers; trades and quotes come
out identical to the recorded events (same values, same tsInit).

Options:
  --venue <v>            binance (spot) | binance-futures (USD-M) | polygon
  --symbols <list>       venue symbols, comma-separated: BTCUSDT,ETHUSDT | AAPL,MSFT | BTC-USD (Polygon crypto)
  --out <dir>            folder for the files (created if missing)
  --duration <s>         stop after this many seconds (default: until SIGINT/SIGTERM)
  --ws-url, --rest-url   venue endpoints (default: the real venue; point them at \`tradewind sim\`)
  --rotate-mb <n>        start new files after n MB of raw frames (default 256)
  --rotate-minutes <n>   start new files after n minutes (default 60)

Binance streams recorded per symbol: trade, bookTicker, depth@100ms, kline_1m. Polygon: T, Q, AM
(stocks) or XT, XQ, XA (crypto pairs with a dash); the key comes from POLYGON_API_KEY, never a flag.`;

function positive(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n > 0)) throw new UsageError(`--${name} must be a positive number: ${v}`);
  return n;
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'record raw venue frames and normalised events into rotating compressed captures',
  help,
  async run(argv, io) {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        venue: { type: 'string' },
        symbols: { type: 'string' },
        out: { type: 'string' },
        duration: { type: 'string' },
        'ws-url': { type: 'string' },
        'rest-url': { type: 'string' },
        'rotate-mb': { type: 'string' },
        'rotate-minutes': { type: 'string' },
      },
      strict: true,
    });
    const venue = values.venue ?? '';
    if (!(RECORD_VENUES as readonly string[]).includes(venue)) throw new UsageError(`--venue must be one of ${RECORD_VENUES.join(', ')}`);
    const symbols = (values.symbols ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (symbols.length === 0) throw new UsageError('--symbols is required, e.g. BTCUSDT,ETHUSDT');
    for (const s of symbols) if (!/^[A-Za-z0-9.:-]{1,30}$/.test(s)) throw new UsageError(`not a venue symbol: ${s}`);
    if (values.out === undefined) throw new UsageError('--out is required');
    const duration = positive(values.duration, 'duration');
    const rotateMb = positive(values['rotate-mb'], 'rotate-mb');
    const rotateMinutes = positive(values['rotate-minutes'], 'rotate-minutes');
    const logger = createLogger({ destination: io.stderr as never, level: 'info', name: 'tradewind-record' });
    const recorder = await startRecorder({
      venue: venue as RecordVenue,
      symbols: symbols.map((s) => s.toUpperCase()),
      dir: resolve(io.cwd, values.out),
      ...(values['ws-url'] === undefined ? {} : { wsUrl: values['ws-url'] }),
      ...(values['rest-url'] === undefined ? {} : { restUrl: values['rest-url'] }),
      ...(io.env.POLYGON_API_KEY === undefined ? {} : { apiKey: io.env.POLYGON_API_KEY }),
      ...(rotateMb === undefined ? {} : { maxBytes: rotateMb * 1024 * 1024 }),
      ...(rotateMinutes === undefined ? {} : { maxAgeMicros: rotateMinutes * 60_000_000 }),
      log: logger,
      onStatus: (s) => logger.info({ status: s }, `feed ${s.type}`),
    });
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      if (duration !== undefined) setTimeout(done, duration * 1000).unref();
    });
    await recorder.stop();
    io.stdout.write(`recorded ${recorder.frames} frames and ${recorder.events} events into:\n${recorder.writer.files.map((f) => `  ${f}`).join('\n')}\n`);
    return ExitCode.Ok;
  },
};
