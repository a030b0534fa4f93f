import type { UnixMicros } from '../../core/time.js';

/**
 * One line of a capture in cryptofeed's raw format (the format of ../shared/data/ws_samples/raw_captures_cryptofeed):
 *   `URL <-> ts`          connected
 *   `URL <- ts: text`     a message sent to the venue
 *   `ts: text`            a message received (on the connection of the last `<->` line)
 *   `URL -> ts: body`     a REST response
 * `ts` is the local receive time in epoch seconds with a fraction.
 */
export type CaptureRecord =
  | { readonly kind: 'connect'; readonly url: string; readonly ts: UnixMicros; readonly line: number }
  | { readonly kind: 'sent'; readonly url: string; readonly ts: UnixMicros; readonly text: string; readonly line: number }
  | { readonly kind: 'received'; readonly url: string; readonly ts: UnixMicros; readonly text: string; readonly line: number }
  | { readonly kind: 'http'; readonly url: string; readonly ts: UnixMicros; readonly text: string; readonly line: number };

export interface CaptureParse {
  readonly records: CaptureRecord[];
  /** 1-based numbers of lines that match none of the forms. */
  readonly badLines: number[];
}

/** Epoch seconds with up to any number of decimals ("1633998512.0633569") to integer microseconds, or NaN. */
export function secondsToMicros(s: string): number {
  const m = /^(\d{1,12})(?:\.(\d+))?$/.exec(s);
  if (m === null) return Number.NaN;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
}

const TS = String.raw`(\d{1,12}(?:\.\d+)?)`;
const CONNECT = new RegExp(String.raw`^(\S+) <-> ${TS}\s*$`);
const SENT = new RegExp(String.raw`^(\S+) <- ${TS}: `);
const HTTP = new RegExp(String.raw`^(\S+) -> ${TS}: `);
const RECEIVED = new RegExp(String.raw`^${TS}: `);

/** Splits a capture into records; blank lines are skipped, unknown ones listed. Never throws. */
export function parseCapture(text: string): CaptureParse {
  const records: CaptureRecord[] = [];
  const badLines: number[] = [];
  let url = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (line.trim() === '') continue;
    const n = i + 1;
    let m: RegExpExecArray | null;
    if ((m = RECEIVED.exec(line)) !== null) {
      records.push({ kind: 'received', url, ts: secondsToMicros(m[1]) as UnixMicros, text: line.slice(m[0].length), line: n });
    } else if ((m = CONNECT.exec(line)) !== null) {
      url = m[1];
      records.push({ kind: 'connect', url, ts: secondsToMicros(m[2]) as UnixMicros, line: n });
    } else if ((m = SENT.exec(line)) !== null) {
      records.push({ kind: 'sent', url: m[1], ts: secondsToMicros(m[2]) as UnixMicros, text: line.slice(m[0].length), line: n });
    } else if ((m = HTTP.exec(line)) !== null) {
      records.push({ kind: 'http', url: m[1], ts: secondsToMicros(m[2]) as UnixMicros, text: line.slice(m[0].length), line: n });
    } else badLines.push(n);
  }
  return { records, badLines };
}
