import { describe, expect, it } from 'vitest';
import { BufferedWriter, WriterClosedError, WriterFailedError } from './buffered-writer.js';

const transient = () => Object.assign(new Error('connection lost'), { code: 'ECONNRESET' });

describe('BufferedWriter', () => {
  it('writes in batches of batchSize, in order, and flushes the remainder', async () => {
    const batches: number[][] = [];
    const w = new BufferedWriter<number>({ sink: async (b) => void batches.push([...b]), batchSize: 3, capacity: 10, flushIntervalMs: 0 });
    for (let i = 0; i < 7; i++) expect(w.write(i)).toBe(true);
    await w.flush();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(batches[0]).toEqual([0, 1, 2]);
    expect(w.stats).toMatchObject({ written: 7, buffered: 0 });
  });

  it('refuses writes beyond capacity until the sink catches up, then put() goes through', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = new BufferedWriter<number>({ sink: () => gate, batchSize: 2, capacity: 4, flushIntervalMs: 0 });
    for (let i = 0; i < 4; i++) expect(w.write(i)).toBe(true);
    expect(w.write(4)).toBe(false);
    expect(w.buffered).toBe(4);
    const put = w.put(4);
    release();
    await put;
    await w.close();
    expect(w.stats.written).toBe(5);
  });

  it('retries transient failures until they pass, losing nothing', async () => {
    let fails = 3;
    const seen: number[] = [];
    const retries: number[] = [];
    const w = new BufferedWriter<number>({
      sink: async (b) => {
        if (fails-- > 0) throw transient();
        seen.push(...b);
      },
      batchSize: 5,
      retryDelayMs: 1,
      onRetry: (_e, attempt) => retries.push(attempt),
    });
    for (let i = 0; i < 5; i++) w.write(i);
    await w.close();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(retries).toEqual([1, 2, 3]);
    expect(w.stats.retries).toBe(3);
  });

  it('stops on a permanent failure and reports it with its cause', async () => {
    const boom = new Error('bad data');
    const w = new BufferedWriter<number>({ sink: async () => Promise.reject(boom), batchSize: 1, flushIntervalMs: 0 });
    w.write(1);
    await expect(w.flush()).rejects.toBeInstanceOf(WriterFailedError);
    expect(() => w.write(2)).toThrow(WriterFailedError);
    try {
      w.write(3);
    } catch (err) {
      expect((err as Error).cause).toBe(boom);
    }
  });

  it('writes a partial batch after the flush interval', async () => {
    const seen: number[] = [];
    const w = new BufferedWriter<number>({ sink: async (b) => void seen.push(...b), batchSize: 100, flushIntervalMs: 5 });
    w.write(1);
    w.write(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(seen).toEqual([1, 2]);
    await w.close();
    expect(() => w.write(3)).toThrow(WriterClosedError);
    await w.close(); // idempotent
  });

  it('keeps several batches in flight with concurrency > 1', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    const w = new BufferedWriter<number>({
      sink: async (b) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        seen.push(...b);
        inFlight--;
      },
      batchSize: 10,
      capacity: 100,
      concurrency: 3,
      flushIntervalMs: 0,
    });
    for (let i = 0; i < 100; i++) await w.put(i);
    await w.close();
    expect(peak).toBe(3);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('ready() resolves at once when there is room', async () => {
    const w = new BufferedWriter<number>({ sink: async () => {}, batchSize: 2 });
    await w.ready();
    await w.close();
  });
});
