import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCaptureFile } from '../../adapters/recording/capture-reader.js';
import { isReplayVenue, REPLAY_VENUES, replayCapture } from '../../adapters/recording/replay.js';
import { TimeBarAggregator } from '../../compute/bars/time-bars.js';
import { BarSpec } from '../../core/bar-spec.js';
import type { MarketData } from '../../core/data.js';
import type { InstrumentId } from '../../core/identifiers.js';
import { UnixMicros } from '../../core/time.js';
import { InProcessBus } from '../../kernel/bus/in-process-bus.js';
import { Cache } from '../../kernel/cache.js';
import { TestClock } from '../../kernel/clock/test-clock.js';
import { DataEngine } from '../../kernel/data-engine.js';
import { topics } from '../../kernel/topics.js';
import type { Command } from '../command.js';
import { ExitCode, UsageError } from '../command.js';

const help = `Usage: tradewind replay --venue <${REPLAY_VENUES.join('|')}> --capture <file> [--bars <specs>] [--output <file>]

Replays the raw frames of a capture through the venue's adapter parsers into the kernel (data engine,
cache, bus) on a simulated clock that follows the frames' receive times, and prints every event the kernel
publishes as one JSON line (prices and sizes as decimal strings, times in microseconds). The same capture
always gives the same output, byte for byte.

The capture is in cryptofeed's line format, plain or gzip ("URL <-> ts", "URL <- ts: json", "ts: json",
"URL -> ts: body"): what \`tradewind record\` writes, and public captures such as
../shared/data/ws_samples/raw_captures_cryptofeed/BINANCE.ws.1.0.

Options:
  --venue <v>       binance | binance-futures | coinbase (Exchange feed) | coinbase-advanced | polygon
  --capture <file>  the capture
  --bars <specs>    also aggregate trades into time bars in the kernel, e.g. 1m or 1s,1m
  --output <file>   write the events there (atomically) instead of stdout

A summary (frames, events, duplicates dropped, rejections by reason) goes to stderr.
Exit codes: 0 replayed, 2 bad usage or unreadable capture.`;

export const replayCommand: Command = {
  name: 'replay',
  summary: 'replay a raw capture through the venue adapter into the kernel, deterministically',
  help,
  async run(argv, io) {
    const { values } = parseArgs({ args: [...argv], options: { venue: { type: 'string' }, capture: { type: 'string' }, bars: { type: 'string' }, output: { type: 'string' } }, strict: true });
    const venue = values.venue ?? '';
    if (!isReplayVenue(venue)) throw new UsageError(`--venue must be one of ${REPLAY_VENUES.join(', ')}`);
    if (values.capture === undefined) throw new UsageError('--capture is required');
    const path = resolve(io.cwd, values.capture);
    if (!existsSync(path)) throw new UsageError(`cannot read ${values.capture}: no such file`);
    let specs: BarSpec[] = [];
    try {
      specs = (values.bars ?? '').split(',').filter((s) => s.trim() !== '').map((s) => BarSpec.parse(s));
    } catch (err) {
      throw new UsageError(`--bars: ${(err as Error).message}`);
    }
    for (const s of specs) if (!BarSpec.isTimeBased(s)) throw new UsageError(`--bars takes time bars (1s, 1m, 1h...), not ${BarSpec.toString(s)}`);
    let capture;
    try {
      capture = readCaptureFile(path);
    } catch (err) {
      throw new UsageError(`cannot read ${values.capture}: ${(err as Error).message}`);
    }
    if (capture.records.length === 0) throw new UsageError(`${values.capture} holds no capture lines`);

    const clock = new TestClock(UnixMicros.unsafe(capture.records[0].ts));
    const bus = new InProcessBus({ clock });
    const engine = new DataEngine({ clock, bus, cache: new Cache() }, { timeCheckIntervalMicros: 1_000_000 });
    const out: string[] = [];
    bus.subscribe(topics.allData(), (e: MarketData) => out.push(JSON.stringify(e)));
    const withBars = new Set<InstrumentId>();
    let barErrors = 0;
    engine.initialize();
    engine.start();
    const stats = replayCapture(venue, capture.records, (e, ts) => {
      if (ts > clock.now()) clock.advanceTo(ts);
      if (specs.length > 0 && e.type === 'trade' && !withBars.has(e.instrumentId)) {
        withBars.add(e.instrumentId);
        const aggregators = specs.map((spec) => new TimeBarAggregator({ instrumentId: e.instrumentId, spec, pricePrecision: 8, sizePrecision: 8, onBar: (bar) => engine.process(bar) }));
        engine.addProcessor(e.instrumentId, {
          handle: (d) => {
            if (d.type !== 'trade') return;
            for (const a of aggregators) {
              try {
                a.handleTrade(d);
              } catch {
                barErrors++;
              }
            }
          },
          onTime: (now) => aggregators.forEach((a) => a.onTime(now)),
        });
      }
      engine.process(e);
    });
    engine.stop();
    await bus.close();
    const text = out.length === 0 ? '' : `${out.join('\n')}\n`;
    if (values.output === undefined) io.stdout.write(text);
    else {
      const target = resolve(io.cwd, values.output);
      const tmp = `${target}.tmp-${process.pid}`;
      await writeFile(tmp, text);
      await rename(tmp, target);
    }
    const rejected = Object.entries(stats.rejections).map(([k, v]) => `${k}=${v}`).join(' ') || 'none';
    io.stderr.write(
      `replayed ${stats.frames} frames: ${stats.events} events, ${out.length} published${specs.length > 0 ? ' (bars included)' : ''}, ${stats.duplicates} duplicates dropped, rejections: ${rejected}${barErrors > 0 ? `, ${barErrors} trades too precise for bars` : ''}${capture.badLines.length > 0 ? `, ${capture.badLines.length} unreadable lines` : ''}\n`,
    );
    return ExitCode.Ok;
  },
};
