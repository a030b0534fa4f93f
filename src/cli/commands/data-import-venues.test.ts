import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { runCli } from '../run.js';
import { captureIo, tempDirWith } from '../csv/testing/io.js';

const KLINES = [
  '1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,1704067259999,1519121.81248190,1327,23.77187000,1005139.47779800,0',
  '1704067260000,42298.62000000,42320.00000000,42298.61000000,42320.00000000,21.07380000,1704067319999,891751.76591970,787,15.36011000,649959.29998210,0',
].join('\n');

const AGG = 'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n1,42313.90,0.004,10,10,1704067200077,false\n2,42314.00,0.010,11,12,1704067200100,true\n';

const POLYGON = JSON.stringify({ ticker: 'AAPL', status: 'OK', results: [{ v: 100, o: 10.5, c: 10.75, h: 11, l: 10.25, t: 1704067200000, n: 3 }] });

// Venue formats of `data import`: the Binance archive (zip or csv, named as the archive names them) and Polygon aggregates.
describe('tradewind data import (venue formats)', { timeout: 120_000 }, () => {
  const dir = tempDirWith({ 'BTCUSDT-aggTrades-2024-01-01.csv': AGG, 'aapl.json': POLYGON, 'BTCUSDT-trades-2024-01-02.csv': '1,-5,1,1,1704153600000,true\n', 'notes.csv': AGG });
  writeFileSync(join(dir, 'BTCUSDT-1m-2024-01-01.zip'), zipSync({ 'BTCUSDT-1m-2024-01-01.csv': strToU8(KLINES) }));
  const env = { TRADEWIND_HOME: join(dir, 'var') };
  const cli = async (...args: string[]) => {
    const io = { ...captureIo(dir), env };
    const code = await runCli(args, io);
    return { code, out: io.out(), err: io.err() };
  };

  it('imports Binance archive klines and aggTrades and Polygon aggregates, all-or-nothing per file', async () => {
    const klines = await cli('data', 'import', '--venue', 'binance', '--kind', 'bars', 'BTCUSDT-1m-2024-01-01.zip');
    expect(klines.err).not.toMatch(/rejected/);
    expect(klines.out).toMatch(/BTCUSDT-1m-2024-01-01\.zip: 2 rows, 2 inserted/);
    const trades = await cli('data', 'import', '--venue', 'binance', '--kind', 'trades', 'BTCUSDT-aggTrades-2024-01-01.csv', 'BTCUSDT-trades-2024-01-02.csv', 'notes.csv');
    expect(trades.code).toBe(2);
    expect(trades.out).toMatch(/aggTrades-2024-01-01\.csv: 2 rows, 2 inserted/);
    expect(trades.err).toMatch(/trades-2024-01-02\.csv: line 1: price: must be positive/);
    expect(trades.err).toMatch(/notes\.csv: not named like a Binance archive file/);
    const again = await cli('data', 'import', '--venue', 'binance', '--kind', 'trades', 'BTCUSDT-aggTrades-2024-01-01.csv');
    expect(again.out).toMatch(/2 rows, 0 inserted, 2 already present/);
    const polygon = await cli('data', 'import', '--venue', 'polygon', '--kind', 'bars', '--instrument', 'AAPL.POLYGON', '--spec', '1d', 'aapl.json');
    expect(polygon.out).toMatch(/aapl\.json: 1 rows, 1 inserted/);
    const exported = await cli('data', 'export', '--instrument', 'BTCUSDT.BINANCE', '--spec', '1m', '--from', '2024-01-01', '--to', '2024-01-02');
    expect(exported.out).toMatch(/42283\.58/);
  });

  it('refuses venue options that do not fit', async () => {
    expect((await cli('data', 'import', '--venue', 'kraken', '--kind', 'bars', 'x')).code).toBe(2);
    expect((await cli('data', 'import', '--venue', 'polygon', '--kind', 'bars', '--spec', '1d', 'aapl.json')).err).toMatch(/--instrument/);
    expect((await cli('data', 'import', '--venue', 'polygon', '--kind', 'trades', '--instrument', 'AAPL.POLYGON', 'aapl.json')).err).toMatch(/imports bars/);
    expect((await cli('data', 'import', '--venue', 'binance', '--kind', 'bars', '--spec', '100tick', 'BTCUSDT-1m-2024-01-01.zip')).err).toMatch(/time bar spec/);
  });
});
