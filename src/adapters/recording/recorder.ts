import type { Bar, BookDeltas, BookSnapshot, QuoteTick, TradeTick } from '../../core/data.js';
import { BinanceDataClient, type DataClientStatus, type StreamSpec } from '../binance/data-client.js';
import type { RejectionLog } from '../common/rejection-counter.js';
import { PolygonDataClient, type PolygonClientStatus } from '../polygon/data-client.js';
import { CaptureWriter } from './capture-writer.js';

/**
 * Live recording: the venue's own data client, with every raw frame written to a capture (with the time it
 * was received) before the client parses it, REST responses too, and the client's normalised events beside.
 * While a frame is being handled the client's clock is pinned to that frame's receive time, so the events
 * recorded live carry exactly the `tsInit` that `tradewind replay` later gives them: a replay of the
 * capture reproduces the recorded events.
 */
export const RECORD_VENUES = ['binance', 'binance-futures', 'polygon'] as const;
export type RecordVenue = (typeof RECORD_VENUES)[number];

export interface RecorderOptions {
  readonly venue: RecordVenue;
  readonly symbols: readonly string[];
  readonly dir: string;
  readonly wsUrl?: string;
  readonly restUrl?: string;
  /** Polygon only (from POLYGON_API_KEY). */
  readonly apiKey?: string;
  readonly maxBytes?: number;
  readonly maxAgeMicros?: number;
  readonly clock?: () => number;
  readonly log?: RejectionLog;
  readonly onStatus?: (s: DataClientStatus | PolygonClientStatus) => void;
}

export interface Recorder {
  readonly writer: CaptureWriter;
  /** Normalised events recorded so far. */
  readonly events: number;
  readonly frames: number;
  stop(): Promise<void>;
}

type AnyEvent = TradeTick | QuoteTick | Bar | BookDeltas | BookSnapshot;

export async function startRecorder(options: RecorderOptions): Promise<Recorder> {
  const writer = new CaptureWriter({ dir: options.dir, venue: options.venue, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }), ...(options.maxAgeMicros === undefined ? {} : { maxAgeMicros: options.maxAgeMicros }) });
  const live = options.clock ?? (() => Date.now() * 1000);
  let pinned: number | undefined;
  const clock = () => pinned ?? live();
  let events = 0;
  let frames = 0;
  const event = (e: AnyEvent) => {
    events++;
    writer.event(e);
  };
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const body = await res.text();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    writer.http(url.replace(/([?&](apiKey|signature)=)[^&]*/gi, '$1[redacted]'), live(), body);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
  // What the caller holds: the counts so far, and a stop that stops the client before closing the files.
  const recording = (client: { stop(): Promise<void> }): Recorder => ({
    writer,
    get events() {
      return events;
    },
    get frames() {
      return frames;
    },
    async stop() {
      await client.stop();
      await writer.close();
    },
  });
  const onFrame = (text: string, handle: (text: string) => void) => {
    const ts = live();
    frames++;
    writer.received(ts, text);
    pinned = ts;
    try {
      handle(text);
    } finally {
      pinned = undefined;
    }
  };

  if (options.venue === 'polygon') {
    if (options.apiKey === undefined || options.apiKey === '') throw new Error('POLYGON_API_KEY must be set to record Polygon');
    const wsUrl = options.wsUrl ?? 'wss://socket.polygon.io/stocks';
    class RecordingPolygon extends PolygonDataClient {
      override onFrame(text: string): void {
        onFrame(text, (t) => super.onFrame(t));
      }
    }
    const client = new RecordingPolygon(
      {
        wsUrl,
        ...(options.restUrl === undefined ? {} : { restUrl: options.restUrl }),
        subscriptions: options.symbols.flatMap((s) => (s.includes('-') ? [`XT.${s}`, `XQ.${s}`, `XA.${s}`] : [`T.${s}`, `Q.${s}`, `AM.${s}`])),
      },
      {
        apiKey: options.apiKey,
        clock,
        fetch: recordingFetch,
        ...(options.log === undefined ? {} : { log: options.log }),
        handlers: {
          onTrade: event,
          onQuote: event,
          onBar: event,
          onBook: event,
          onStatus: (s) => {
            if (s.type === 'connected') writer.connected(wsUrl, live());
            options.onStatus?.(s);
          },
        },
      },
    );
    client.start();
    return recording(client);
  }

  const market = options.venue === 'binance' ? 'spot' : 'futures';
  class RecordingBinance extends BinanceDataClient {
    override onFrame(text: string): void {
      onFrame(text, (t) => super.onFrame(t));
    }
  }
  const client = new RecordingBinance(
    { market, ...(options.wsUrl === undefined ? {} : { wsUrl: options.wsUrl }), ...(options.restUrl === undefined ? {} : { restUrl: options.restUrl }) },
    {
      clock,
      fetch: recordingFetch,
      ...(options.log === undefined ? {} : { log: options.log }),
      handlers: {
        onTrade: event,
        onQuote: event,
        onBar: event,
        onBookDeltas: event,
        onBookSnapshot: event,
        onStatus: (s) => {
          if (s.type === 'connected') writer.connected(`${options.wsUrl ?? (market === 'spot' ? 'wss://stream.binance.com:9443' : 'wss://fstream.binance.com')}/stream`, live());
          options.onStatus?.(s);
        },
      },
    },
  );
  await client.loadInstruments();
  const specs: StreamSpec[] = options.symbols.flatMap((symbol) => [
    { symbol, kind: 'trade' as const },
    { symbol, kind: 'bookTicker' as const },
    { symbol, kind: 'depth' as const },
    { symbol, kind: 'kline' as const, interval: '1m' },
  ]);
  await client.subscribe(specs);
  return recording(client);
}
