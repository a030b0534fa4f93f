/**
 * Faults the simulator injects on command (programmatic API and `POST /_sim/faults`), shared by every
 * simulated venue. Each is a plain message so that the control endpoint and tests speak the same language.
 */
export type MalformedKind = 'invalid-json' | 'missing-field' | 'negative-price';

export type FaultCommand =
  /** Drops every client: `terminate` cuts TCP without a close frame (the client sees 1006), `close` sends 1001. */
  | { readonly type: 'disconnect'; readonly mode?: 'terminate' | 'close' }
  /** No frames for `ms` (all streams, or one stream/channel); held frames follow afterwards unless `drop`. */
  | { readonly type: 'stall'; readonly ms: number; readonly stream?: string; readonly drop?: boolean }
  /** Skips `count` book sequence numbers (all symbols or one), so the next diff does not chain. */
  | { readonly type: 'gap'; readonly symbol?: string; readonly count?: number }
  /** Corrupts the next `count` data frames (all streams or one). */
  | { readonly type: 'malformed'; readonly kind: MalformedKind; readonly count?: number; readonly stream?: string }
  /** Bounds the bytes a client may have unsent before it is dropped as a slow reader. */
  | { readonly type: 'send-buffer'; readonly bytes: number }
  /** Clears pending stalls and malformed-frame counters. */
  | { readonly type: 'clear' };

export class FaultCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultCommandError';
  }
}

function posInt(v: unknown, what: string, dflt?: number): number {
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new FaultCommandError(`${what} must be a non-negative integer`);
  return v;
}

function optString(v: unknown, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new FaultCommandError(`${what} must be a non-empty string`);
  return v;
}

/** Validates a fault command from outside (the control endpoint's JSON body). */
export function parseFaultCommand(input: unknown): FaultCommand {
  if (typeof input !== 'object' || input === null) throw new FaultCommandError('fault must be a JSON object');
  const o = input as Record<string, unknown>;
  switch (o.type) {
    case 'disconnect': {
      const mode = o.mode ?? 'terminate';
      if (mode !== 'terminate' && mode !== 'close') throw new FaultCommandError('mode must be terminate or close');
      return { type: 'disconnect', mode };
    }
    case 'stall': {
      const stream = optString(o.stream, 'stream');
      if (o.drop !== undefined && typeof o.drop !== 'boolean') throw new FaultCommandError('drop must be a boolean');
      return { type: 'stall', ms: posInt(o.ms, 'ms'), ...(stream === undefined ? {} : { stream }), drop: o.drop === true };
    }
    case 'gap': {
      const symbol = optString(o.symbol, 'symbol');
      return { type: 'gap', count: posInt(o.count, 'count', 10), ...(symbol === undefined ? {} : { symbol }) };
    }
    case 'malformed': {
      const kind = o.kind;
      if (kind !== 'invalid-json' && kind !== 'missing-field' && kind !== 'negative-price') {
        throw new FaultCommandError('kind must be invalid-json, missing-field or negative-price');
      }
      const stream = optString(o.stream, 'stream');
      return { type: 'malformed', kind, count: posInt(o.count, 'count', 1), ...(stream === undefined ? {} : { stream }) };
    }
    case 'send-buffer':
      return { type: 'send-buffer', bytes: posInt(o.bytes, 'bytes') };
    case 'clear':
      return { type: 'clear' };
    default:
      throw new FaultCommandError(`unknown fault type ${JSON.stringify(o.type)}`);
  }
}

const priceField = /"(p|price|b|best_bid|bp|c)":"/;

/** Corrupts one frame the way `kind` says; the result is what a buggy venue or a broken proxy could send. */
export function corruptFrame(frame: string, kind: MalformedKind): string {
  switch (kind) {
    case 'invalid-json':
      return frame.slice(0, Math.max(1, Math.floor(frame.length / 2)));
    case 'negative-price': {
      const m = priceField.exec(frame);
      if (m) return `${frame.slice(0, m.index + m[0].length)}-${frame.slice(m.index + m[0].length)}`;
      const lvl = frame.indexOf('[["');
      if (lvl >= 0) return `${frame.slice(0, lvl + 3)}-${frame.slice(lvl + 3)}`;
      return frame.replace(/:(\d)/, ':-$1');
    }
    case 'missing-field':
      return removeField(frame);
  }
}

/** Removes the price (or bids) field of the innermost data object, keeping the rest valid JSON. */
function removeField(frame: string): string {
  const m = /"(p|price|b|bids|best_bid|bp)":/.exec(frame);
  if (m === null) return frame.replace(/"[^"]+":("[^"]*"|[^,}]*),/, '');
  let end = m.index + m[0].length;
  if (frame[end] === '"') {
    end = frame.indexOf('"', end + 1) + 1;
  } else if (frame[end] === '[') {
    let depth = 0;
    for (; end < frame.length; end++) {
      if (frame[end] === '[') depth++;
      else if (frame[end] === ']' && --depth === 0) break;
    }
    end++;
  } else {
    while (end < frame.length && frame[end] !== ',' && frame[end] !== '}') end++;
  }
  if (frame[end] === ',') return frame.slice(0, m.index) + frame.slice(end + 1);
  // Last field: take the comma before it instead.
  const start = frame[m.index - 1] === ',' ? m.index - 1 : m.index;
  return frame.slice(0, start) + frame.slice(end);
}
