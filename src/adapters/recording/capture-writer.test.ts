import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile, readJsonLines } from './capture-reader.js';
import { CaptureWriter, formatCaptureTime } from './capture-writer.js';

describe('CaptureWriter', () => {
  it('writes the cryptofeed line format that the capture parser reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-rec-'));
    const w = new CaptureWriter({ dir, venue: 'binance' });
    const url = 'wss://stream.binance.com:9443/stream?streams=btcusdt@trade';
    w.connected(url, 1_633_998_512_063_357);
    w.sent(url, 1_633_998_512_100_000, '{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}');
    w.received(1_633_998_512_200_001, '{"result":null,\n "id":1}');
    w.http('https://api.binance.com/api/v3/depth?symbol=BTCUSDT', 1_633_998_513_000_000, '{"lastUpdateId":1}');
    w.event({ type: 'trade', price: '1.5' });
    await w.close();
    const capture = readCaptureFile(w.files[0]);
    expect(capture.badLines).toEqual([]);
    expect(capture.records.map((r) => r.kind)).toEqual(['connect', 'sent', 'received', 'http']);
    expect(capture.records[0]).toMatchObject({ url, ts: 1_633_998_512_063_357 });
    expect(capture.records[2]).toMatchObject({ kind: 'received', url, ts: 1_633_998_512_200_001, text: '{"result":null,  "id":1}' });
    expect(JSON.parse((capture.records[2] as { text: string }).text)).toEqual({ result: null, id: 1 });
    expect(readJsonLines(w.files[1])).toEqual([{ type: 'trade', price: '1.5' }]);
    expect(formatCaptureTime(5)).toBe('0.000005');
  });

  it('rotates by size and by age, repeating the connect line so each file replays alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-rec-'));
    const w = new CaptureWriter({ dir, venue: 'coinbase', maxBytes: 200, maxAgeMicros: 10_000_000 });
    w.connected('wss://ws-feed.exchange.coinbase.com', 1_000_000_000_000_000);
    for (let i = 0; i < 10; i++) w.received(1_000_000_000_000_000 + i, `{"type":"heartbeat","sequence":${i},"pad":"${'x'.repeat(40)}"}`);
    w.received(1_000_000_020_000_000, '{"type":"heartbeat","sequence":99}');
    await w.close();
    const captures = w.files.filter((f) => f.endsWith('.capture.gz'));
    expect(captures.length).toBeGreaterThanOrEqual(4);
    let received = 0;
    for (const f of captures) {
      const { records, badLines } = readCaptureFile(f);
      expect(badLines).toEqual([]);
      expect(records[0].kind).toBe('connect');
      received += records.filter((r) => r.kind === 'received').length;
    }
    expect(received).toBe(11);
    expect(new Set(w.files).size).toBe(w.files.length);
  });

  it('refuses a venue name that could escape the folder', () => {
    expect(() => new CaptureWriter({ dir: tmpdir(), venue: '../x' })).toThrow(/plain name/);
  });
});
