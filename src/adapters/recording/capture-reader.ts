import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseCapture, type CaptureParse } from '../common/capture.js';

/** Reads a capture file, plain or gzip-compressed (told by its magic bytes, not its name). */
export function readCaptureFile(path: string): CaptureParse {
  const bytes = readFileSync(path);
  const text = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return parseCapture(text);
}

/** Reads a JSON-lines file, plain or gzip-compressed. */
export function readJsonLines(path: string): unknown[] {
  const bytes = readFileSync(path);
  const text = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as unknown);
}
