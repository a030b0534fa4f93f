import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { TradewindError } from '../../core/errors.js';
import type { BinanceArchiveKind } from './binance-archive.js';

/**
 * Downloads daily files from the Binance public data archive, in its layout:
 *   {base}/data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01-01.zip
 *   {base}/data/spot/daily/trades/BTCUSDT/BTCUSDT-trades-2024-01-01.zip
 *   {base}/data/spot/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2024-01-01.zip
 *   {base}/data/futures/um/daily/...   (USD-M futures)
 * Each zip has a `.CHECKSUM` beside it holding `<sha256>  <file name>`. A file is written to `<name>.part`
 * first; an interrupted download resumes from the part's size with an HTTP Range request; the file is
 * renamed into place only after its SHA-256 matches. A file already in place is verified, not fetched again.
 */
export const DEFAULT_ARCHIVE_URL = 'https://data.binance.vision';

export interface DownloadRequest {
  readonly symbol: string;
  readonly kind: BinanceArchiveKind;
  /** Required for klines. */
  readonly interval?: string;
  readonly market: 'spot' | 'futures';
  /** Inclusive UTC dates, `YYYY-MM-DD`. */
  readonly from: string;
  readonly to: string;
  readonly outDir: string;
  readonly baseUrl?: string;
  readonly fetch?: typeof fetch;
  /** Called once per day with what happened, for progress output. */
  readonly onFile?: (outcome: FileOutcome) => void;
}

export type FileOutcome =
  | { readonly status: 'downloaded'; readonly path: string; readonly bytes: number; readonly resumedFrom: number }
  | { readonly status: 'present'; readonly path: string }
  | { readonly status: 'missing'; readonly url: string }
  | { readonly status: 'failed'; readonly url: string; readonly reason: string };

export class ArchiveDownloadError extends TradewindError {}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Days per request; the archive holds years, so bound what one command asks for. */
const MAX_DAYS = 3_660;

/** Every UTC date from `from` to `to` inclusive. */
export function datesBetween(from: string, to: string): string[] {
  if (!DATE_RE.test(from) || Number.isNaN(Date.parse(`${from}T00:00:00Z`))) throw new ArchiveDownloadError(`--from must be a date YYYY-MM-DD: ${from}`);
  if (!DATE_RE.test(to) || Number.isNaN(Date.parse(`${to}T00:00:00Z`))) throw new ArchiveDownloadError(`--to must be a date YYYY-MM-DD: ${to}`);
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (end < start) throw new ArchiveDownloadError(`--to (${to}) is before --from (${from})`);
  if ((end - start) / DAY_MS + 1 > MAX_DAYS) throw new ArchiveDownloadError(`at most ${MAX_DAYS} days per download`);
  const out: string[] = [];
  for (let t = start; t <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The archive path of one day's file, relative to the base URL. */
export function archivePath(req: Pick<DownloadRequest, 'symbol' | 'kind' | 'interval' | 'market'>, date: string): string {
  const root = req.market === 'spot' ? 'data/spot/daily' : 'data/futures/um/daily';
  const symbol = req.symbol.toUpperCase();
  if (!/^[A-Z0-9]{2,30}$/.test(symbol)) throw new ArchiveDownloadError(`not a Binance symbol: ${req.symbol}`);
  if (req.kind === 'klines') {
    if (req.interval === undefined || !/^\d+[smhdwM]$/.test(req.interval)) throw new ArchiveDownloadError(`klines need --interval like 1m, 1h, 1d: ${req.interval}`);
    return `${root}/klines/${symbol}/${req.interval}/${symbol}-${req.interval}-${date}.zip`;
  }
  return `${root}/${req.kind}/${symbol}/${symbol}-${req.kind}-${date}.zip`;
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Writes chunks as they arrive, so that whatever was received before a failure stays in the part file. */
async function writeBody(body: ReadableStream<Uint8Array>, path: string, append: boolean): Promise<void> {
  const file = await open(path, append ? 'a' : 'w');
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) await file.write(chunk);
  } finally {
    await file.close();
  }
}

async function fetchChecksum(fetchFn: typeof fetch, url: string): Promise<string | undefined> {
  const res = await fetchFn(`${url}.CHECKSUM`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new ArchiveDownloadError(`checksum request failed with HTTP ${res.status}`);
  const m = /^([0-9a-f]{64})\b/i.exec((await res.text()).trim());
  if (m === null) throw new ArchiveDownloadError('checksum file does not start with a SHA-256 hex digest');
  return m[1].toLowerCase();
}

async function downloadOne(req: DownloadRequest, date: string): Promise<FileOutcome> {
  const fetchFn = req.fetch ?? fetch;
  const rel = archivePath(req, date);
  const url = `${(req.baseUrl ?? DEFAULT_ARCHIVE_URL).replace(/\/+$/, '')}/${rel}`;
  const path = join(req.outDir, rel);
  const part = `${path}.part`;
  try {
    const expected = await fetchChecksum(fetchFn, url);
    if (expected === undefined) return { status: 'missing', url };
    if (existsSync(path)) {
      if ((await sha256File(path)) === expected) return { status: 'present', path };
      rmSync(path); // a corrupt file in place is replaced, never trusted
    }
    mkdirSync(dirname(path), { recursive: true });
    const resumedFrom = existsSync(part) ? statSync(part).size : 0;
    const res = await fetchFn(url, resumedFrom > 0 ? { headers: { Range: `bytes=${resumedFrom}-` } } : {});
    if (res.status === 404) return { status: 'missing', url };
    if (res.status === 416) {
      // The part already holds the whole file (or more); verify it below as it is.
    } else if (!res.ok || res.body === null) {
      throw new ArchiveDownloadError(`HTTP ${res.status}`);
    } else {
      // 206 continues the part; a server that ignores Range answers 200 with the whole file: start over.
      const append = res.status === 206 && resumedFrom > 0;
      await writeBody(res.body, part, append);
    }
    const actual = await sha256File(part);
    if (actual !== expected) {
      rmSync(part);
      throw new ArchiveDownloadError(`checksum mismatch (expected ${expected}, got ${actual}); the partial file was removed`);
    }
    renameSync(part, path);
    return { status: 'downloaded', path, bytes: statSync(path).size, resumedFrom: res.status === 206 ? resumedFrom : 0 };
  } catch (err) {
    return { status: 'failed', url, reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Downloads every day in the range, one after the other (the archive rate-limits parallel clients). */
export async function downloadBinanceArchive(req: DownloadRequest): Promise<FileOutcome[]> {
  const dates = datesBetween(req.from, req.to);
  archivePath(req, dates[0]); // validate the request before any I/O
  const outcomes: FileOutcome[] = [];
  for (const date of dates) {
    const outcome = await downloadOne(req, date);
    req.onFile?.(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}
