import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { once } from 'node:events';

/** Lines are gathered into chunks of about this many characters before a write. */
const CHUNK = 64 * 1024;

/**
 * Where a command writes its CSV. With a path, output goes to a temporary file in the same directory that is
 * renamed over the target only on `commit`, so a failed run leaves nothing (and never a half-written file);
 * without one, to stdout.
 */
export class CsvOutput {
  private buf: string[] = [];
  private size = 0;
  private done = false;

  private constructor(
    private readonly stream: Writable,
    private readonly tempPath: string | undefined,
    private readonly finalPath: string | undefined,
  ) {}

  /** `path` relative to `cwd`; undefined for stdout. */
  static async open(path: string | undefined, cwd: string, stdout: Writable): Promise<CsvOutput> {
    if (path === undefined || path === '-') return new CsvOutput(stdout, undefined, undefined);
    const target = resolve(cwd, path);
    const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    const stream = createWriteStream(temp, { flags: 'wx' });
    await Promise.race([once(stream, 'open'), once(stream, 'error').then(([e]) => Promise.reject(e as Error))]);
    return new CsvOutput(stream, temp, target);
  }

  get target(): string | undefined {
    return this.finalPath;
  }

  /** Adds one line (without its newline). Awaits only when a chunk is flushed and the stream needs draining. */
  async line(text: string): Promise<void> {
    this.buf.push(text);
    this.size += text.length + 1;
    if (this.size >= CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = `${this.buf.join('\n')}\n`;
    this.buf = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Writes what is left and, for a file, moves it into place. */
  async commit(): Promise<void> {
    await this.flush();
    this.done = true;
    if (this.tempPath === undefined || this.finalPath === undefined) return;
    const ws = this.stream as WriteStream;
    ws.end();
    await once(ws, 'close');
    await rename(this.tempPath, this.finalPath);
  }

  /** Drops a failed run's output: removes the temporary file; stdout keeps what it already printed. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (this.tempPath === undefined) {
      this.buf = [];
      return;
    }
    const ws = this.stream as WriteStream;
    ws.destroy();
    await once(ws, 'close').catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }
}
