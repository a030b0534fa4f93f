import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';

/**
 * Records a venue session as raw frames with their receive times, in the line format of cryptofeed's raw
 * captures (so that our captures and public ones replay the same way), gzip-compressed and rotated, with the
 * normalised events written beside them as JSON lines:
 *   <dir>/<venue>-<start>.capture.gz      `URL <-> ts`, `URL <- ts: sent`, `ts: received`, `URL -> ts: http body`
 *   <dir>/<venue>-<start>.events.jsonl.gz one normalised event per line (prices and sizes as decimal strings)
 * `ts` is epoch seconds with six decimals (microseconds). A file rotates when its uncompressed size passes
 * `maxBytes` or its age passes `maxAgeMicros`; each new capture file starts by repeating the connect line of
 * the live connection, so every file replays on its own.
 */
export interface CaptureWriterOptions {
  readonly dir: string;
  readonly venue: string;
  readonly maxBytes?: number;
  readonly maxAgeMicros?: number;
}

interface OpenFile {
  readonly gzip: Gzip;
  readonly out: WriteStream;
  readonly path: string;
}

export function formatCaptureTime(tsMicros: number): string {
  const s = Math.floor(tsMicros / 1_000_000);
  return `${s}.${String(tsMicros - s * 1_000_000).padStart(6, '0')}`;
}

/** JSON whitespace newlines are the only raw newlines a frame can hold; a line-based file needs them gone. */
const oneLine = (text: string): string => (text.includes('\n') || text.includes('\r') ? text.replace(/[\r\n]+/g, ' ') : text);

function open(path: string): OpenFile {
  const gzip = createGzip();
  const out = createWriteStream(path);
  gzip.pipe(out);
  return { gzip, out, path };
}

async function close(file: OpenFile): Promise<void> {
  file.gzip.end();
  await finished(file.out);
}

export class CaptureWriter {
  private capture: OpenFile | undefined;
  private events: OpenFile | undefined;
  private bytes = 0;
  private startedAt = 0;
  private connectedUrl: string | undefined;
  private connectedAt = 0;
  private readonly maxBytes: number;
  private readonly maxAgeMicros: number;
  private readonly closing: Promise<void>[] = [];
  /** Every capture and event file opened so far, in order. */
  readonly files: string[] = [];

  constructor(private readonly options: CaptureWriterOptions) {
    if (!/^[a-z0-9_-]+$/i.test(options.venue)) throw new Error(`venue must be a plain name: ${options.venue}`);
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxAgeMicros = options.maxAgeMicros ?? 3_600_000_000;
    mkdirSync(options.dir, { recursive: true });
  }

  connected(url: string, ts: number): void {
    this.connectedUrl = url;
    this.connectedAt = ts;
    this.line(`${url} <-> ${formatCaptureTime(ts)}`, ts, false);
  }

  sent(url: string, ts: number, text: string): void {
    this.line(`${url} <- ${formatCaptureTime(ts)}: ${oneLine(text)}`, ts);
  }

  received(ts: number, text: string): void {
    this.line(`${formatCaptureTime(ts)}: ${oneLine(text)}`, ts);
  }

  http(url: string, ts: number, body: string): void {
    this.line(`${url} -> ${formatCaptureTime(ts)}: ${oneLine(body)}`, ts);
  }

  /** Writes one normalised event (anything JSON-serialisable; Price and Quantity serialise as decimal strings). */
  event(event: unknown): void {
    if (this.events === undefined) this.rotate(this.startedAt);
    (this.events as OpenFile).gzip.write(`${JSON.stringify(event)}\n`);
  }

  private line(text: string, ts: number, repeatConnect = true): void {
    if (this.capture === undefined || this.bytes >= this.maxBytes || ts - this.startedAt >= this.maxAgeMicros) {
      this.rotate(ts);
      if (repeatConnect && this.connectedUrl !== undefined) this.write(`${this.connectedUrl} <-> ${formatCaptureTime(this.connectedAt)}`);
    }
    this.write(text);
  }

  private write(text: string): void {
    const line = `${text}\n`;
    this.bytes += Buffer.byteLength(line);
    (this.capture as OpenFile).gzip.write(line);
  }

  private rotate(ts: number): void {
    if (this.capture !== undefined) this.closing.push(close(this.capture));
    if (this.events !== undefined) this.closing.push(close(this.events));
    const stamp = new Date(Math.floor(ts / 1000)).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, `.$1${String(ts % 1000).padStart(3, '0')}Z`);
    const base = join(this.options.dir, `${this.options.venue}-${stamp}`);
    this.capture = open(`${base}.capture.gz`);
    this.events = open(`${base}.events.jsonl.gz`);
    this.files.push(this.capture.path, this.events.path);
    this.bytes = 0;
    this.startedAt = ts;
  }

  /** Flushes and closes every file. */
  async close(): Promise<void> {
    if (this.capture !== undefined) this.closing.push(close(this.capture));
    if (this.events !== undefined) this.closing.push(close(this.events));
    this.capture = undefined;
    this.events = undefined;
    await Promise.all(this.closing);
  }
}
