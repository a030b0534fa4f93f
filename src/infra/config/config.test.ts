import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults that run offline', () => {
    const config = loadConfig({ env: {}, cwd: '/srv/tw' });
    expect(config.home).toBe('/srv/tw/var');
    expect(config.marketData.source).toBe('sim');
    expect(config.database.url).toBeUndefined();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('lets the environment override the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-config-'));
    const file = join(dir, 'tw.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000 }, marketData: { symbols: ['BTCUSDT'] } }));
    const config = loadConfig({ file, env: { TRADEWIND_HTTP_PORT: '9100', TRADEWIND_BARS: '1m, 5m' }, cwd: dir });
    expect(config.http.port).toBe(9100);
    expect(config.marketData.symbols).toEqual(['BTCUSDT']);
    expect(config.bars).toEqual(['1m', '5m']);
  });

  it('names the path and the variable of a bad value', () => {
    expect(() => loadConfig({ env: { TRADEWIND_HTTP_PORT: 'eighty' } })).toThrow(/http\.port.*TRADEWIND_HTTP_PORT/s);
    expect(() => loadConfig({ env: { TRADEWIND_SYMBOLS: 'btc-usdt' } })).toThrow(ConfigError);
  });

  it('rejects unknown keys and unreadable files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tw-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ htp: {} }));
    expect(() => loadConfig({ file, env: {} })).toThrow(/htp|Unrecognized/);
    writeFileSync(file, '{not json');
    expect(() => loadConfig({ file, env: {} })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ file: join(dir, 'missing.json'), env: {} })).toThrow(/cannot read/);
    writeFileSync(file, '[1]');
    expect(() => loadConfig({ file, env: {} })).toThrow(/top level/);
  });
});
