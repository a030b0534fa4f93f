import { BinanceSimulator } from './binance/server.js';
import type { FaultCommand } from './faults.js';
import { openReplay } from './replay/feed.js';

/** One way to start any simulated venue (used by `tradewind sim`, `npm start` and integration tests). */
export const SIM_VENUES = ['binance', 'binance-futures'] as const;
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
  }
}
