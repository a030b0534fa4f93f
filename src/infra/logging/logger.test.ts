import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes JSON lines and redacts secrets at the top level and one level down', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'debug' });
    log.info({ apiKey: 'k-123', venue: { apiSecret: 's-456', name: 'binance' }, headers: { authorization: 'Bearer x' } }, 'connected');
    const [line] = out.lines();
    expect(line.msg).toBe('connected');
    expect(line.apiKey).toBe('[redacted]');
    expect((line.venue as Record<string, unknown>).apiSecret).toBe('[redacted]');
    expect((line.venue as Record<string, unknown>).name).toBe('binance');
    expect((line.headers as Record<string, unknown>).authorization).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toMatch(/k-123|s-456|Bearer/);
  });

  it('respects the level', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    expect(out.lines().map((l) => l.msg)).toEqual(['shown']);
  });
});
