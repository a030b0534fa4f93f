/**
 * Reader of the raw capture line format used by cryptofeed (and by ../shared/data/ws_samples):
 *   `URL <-> ts`          a connection opened
 *   `URL <- ts: json`     a message the client sent (subscriptions)
 *   `URL -> ts: body`     a REST response (in `*.http.*` files)
 *   `ts: json`            a message received on the current connection
 * `ts` is the local receive time in epoch seconds with a fraction.
 */
export type CaptureRecord =
  | { readonly kind: 'connect'; readonly url: string; readonly timeUs: number }
  | { readonly kind: 'sent'; readonly url: string; readonly timeUs: number; readonly text: string }
  | { readonly kind: 'http'; readonly url: string; readonly timeUs: number; readonly text: string }
  | { readonly kind: 'received'; readonly url: string; readonly timeUs: number; readonly text: string };

export class CaptureFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'CaptureFormatError';
  }
}

function seconds(ts: string, line: number): number {
  const n = Number(ts);
  if (!Number.isFinite(n) || n < 0) throw new CaptureFormatError(`bad timestamp ${JSON.stringify(ts)}`, line);
  // Exact to the microsecond: the fraction is taken as written, not through a float product.
  const [i, f = ''] = ts.split('.');
  return Number(i) * 1_000_000 + Number(f.padEnd(6, '0').slice(0, 6));
}

const urlLine = /^(\S+) (<->|<-|->) (\d+(?:\.\d+)?)(?:: ?(.*))?$/;
const receivedLine = /^(\d+(?:\.\d+)?): ?(.*)$/;

/** Parses a whole capture; blank lines are skipped, anything else unreadable throws with its line number. */
export function parseCapture(text: string): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  let url = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.trim() === '') continue;
    const r = receivedLine.exec(line);
    if (r !== null) {
      out.push({ kind: 'received', url, timeUs: seconds(r[1], i + 1), text: r[2] });
      continue;
    }
    const u = urlLine.exec(line);
    if (u === null) throw new CaptureFormatError('neither `URL <dir> ts[: body]` nor `ts: body`', i + 1);
    const timeUs = seconds(u[3], i + 1);
    if (u[2] === '<->') {
      url = u[1];
      out.push({ kind: 'connect', url, timeUs });
    } else if (u[2] === '<-') {
      out.push({ kind: 'sent', url: u[1], timeUs, text: u[4] ?? '' });
    } else {
      out.push({ kind: 'http', url: u[1], timeUs, text: u[4] ?? '' });
    }
  }
  return out;
}
