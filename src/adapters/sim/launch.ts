import { BinanceSimulator } from './binance/server.js';
import type { FaultCommand } from './faults.js';
import { CoinbaseSimulator } from './coinbase/server.js';
import { PolygonSimulator } from './polygon/server.js';
import { openReplay } from './replay/feed.js';
import { generatedNames } from './symbols.js';

/** One way to start any simulated venue (used by `tradewind sim`, `npm start` and integration tests). */
export const SIM_VENUES = ['binance', 'binance-futures', 'coinbase', 'polygon', 'polygon-crypto'] as const;
export type SimVenue = (typeof SIM_VENUES)[number];

export interface SimulatorOptions {
  readonly venue: SimVenue;
  readonly host?: string;
  readonly port?: number;
  readonly symbols?: readonly string[] | number;
  readonly seed?: number;
  /** Real-time multiple; Infinity runs as fast as possible. */
  readonly speed?: number;
  /** A capture (`URL <- ts: json` / `ts: json` lines) or a trade CSV to replay instead of synthetic markets. */
  readonly replay?: string;
  /** Polygon: the accepted API key (default: any non-empty key). */
  readonly apiKey?: string;
}

/** Generated names in each venue's style: SYM0001USDT, SYM0001-USD, SYM0001. */
function venueNames(symbols: readonly string[] | number | undefined, venue: SimVenue): string[] {
  const names = typeof symbols === 'number' ? generatedNames(symbols) : symbols === undefined ? generatedNames(10) : [...symbols];
  return names.map((n) => {
    if (!/^SYM\d+USDT$/.test(n)) return n;
    if (venue === 'coinbase' || venue === 'polygon-crypto') return `${n.slice(0, -4)}-USD`;
    if (venue === 'polygon') return n.slice(0, -4);
    return n;
  });
}

export interface SimHandle {
  readonly venue: SimVenue;
  readonly restUrl: string;
  readonly wsUrl: string;
  /** Human-readable endpoints, one per line, for the CLI. */
  readonly endpoints: readonly [string, string][];
  applyFault(cmd: FaultCommand): void;
  close(): Promise<void>;
}

export function isSimVenue(s: string): s is SimVenue {
  return (SIM_VENUES as readonly string[]).includes(s);
}

export async function startSimulator(opts: SimulatorOptions): Promise<SimHandle> {
  switch (opts.venue) {
    case 'binance':
    case 'binance-futures': {
      const kind = opts.venue === 'binance' ? 'spot' : 'usdm';
      const symbol = Array.isArray(opts.symbols) && opts.symbols.length === 1 ? (opts.symbols as string[])[0].toUpperCase() : undefined;
      const replay = opts.replay === undefined ? undefined : openReplay(opts.replay, symbol);
      const sim = await BinanceSimulator.start({
        ...(replay === undefined ? {} : { replay }),
        kind,
        ...(opts.host === undefined ? {} : { host: opts.host }),
        ...(opts.port === undefined ? {} : { port: opts.port }),
        ...(opts.symbols === undefined ? {} : { symbols: opts.symbols }),
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.speed === undefined ? {} : { speed: opts.speed }),
      });
      const api = kind === 'spot' ? '/api/v3' : '/fapi/v1';
      return {
        venue: opts.venue,
        restUrl: sim.restUrl,
        wsUrl: sim.wsUrl,
        endpoints: [
          ['REST', `${sim.restUrl}${api}`],
          ['WebSocket', `${sim.wsUrl}/ws/<stream>`],
          ['Combined', `${sim.wsUrl}/stream?streams=<a>/<b>`],
          ['Faults', `POST ${sim.restUrl}/_sim/faults`],
        ],
        applyFault: (cmd) => sim.applyFault(cmd),
        close: () => sim.close(),
      };
    }
    case 'coinbase':
    case 'polygon':
    case 'polygon-crypto': {
      if (opts.replay !== undefined) throw new RangeError(`--replay serves the Binance protocol only (venue ${opts.venue})`);
      const base = {
        symbols: venueNames(opts.symbols, opts.venue),
        ...(opts.host === undefined ? {} : { host: opts.host }),
        ...(opts.port === undefined ? {} : { port: opts.port }),
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
        ...(opts.speed === undefined ? {} : { speed: opts.speed }),
      };
      if (opts.venue === 'coinbase') {
        const sim = await CoinbaseSimulator.start(base);
        return {
          venue: opts.venue,
          restUrl: sim.restUrl,
          wsUrl: sim.wsUrl,
          endpoints: [
            ['REST', `${sim.restUrl}/products`],
            ['WebSocket', `${sim.wsUrl}/ (send {"type":"subscribe",...})`],
            ['Faults', `POST ${sim.restUrl}/_sim/faults`],
          ],
          applyFault: (cmd) => sim.applyFault(cmd),
          close: () => sim.close(),
        };
      }
      const cluster = opts.venue === 'polygon' ? 'stocks' : 'crypto';
      const sim = await PolygonSimulator.start({ ...base, cluster, ...(opts.apiKey === undefined ? {} : { apiKey: opts.apiKey }) });
      return {
        venue: opts.venue,
        restUrl: sim.restUrl,
        wsUrl: sim.wsUrl,
        endpoints: [
          ['REST', `${sim.restUrl}/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/{from}/{to}?apiKey=<key>`],
          ['WebSocket', `${sim.wsUrl}/${cluster}`],
          ['Faults', `POST ${sim.restUrl}/_sim/faults`],
        ],
        applyFault: (cmd) => sim.applyFault(cmd),
        close: () => sim.close(),
      };
    }
  }
}
