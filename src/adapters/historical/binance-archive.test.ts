import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { InstrumentId } from '../../core/identifiers.js';
import { archiveText, parseBinanceArchive } from './binance-archive.js';

const id = InstrumentId.parse('BTCUSDT.BINANCE');

describe('Binance archive loaders', () => {
  it('parses spot klines without a header, in milliseconds', () => {
    const text = [
      '1704067200000,42283.58000000,42298.62000000,42261.02000000,42298.61000000,35.92724000,1704067259999,1519121.81248190,1327,23.77187000,1005139.47779800,0',
      '1704067260000,42298.62000000,42320.00000000,42298.61000000,42320.00000000,21.07380000,1704067319999,891751.76591970,787,15.36011000,649959.29998210,0',
    ].join('\n');
    const { events, rejected } = parseBinanceArchive('klines', text, { instrumentId: id, interval: '1m' });
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(2);
    const [bar] = events;
    expect(bar.open.toString()).toBe('42283.58000000');
    expect(bar.high.toString()).toBe('42298.62000000');
    expect(bar.volume.toString()).toBe('35.92724000');
    expect(bar.tradeCount).toBe(1327);
    expect(bar.tsOpen).toBe(1704067200000000);
    expect(bar.tsEvent).toBe(1704067260000000);
  });

  it('parses futures klines with a header and spot klines in microseconds', () => {
    const text = [
      'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore',
      '1735689600000000,93576.00,93610.93,93537.50,93610.93,8.21827,1735689659999999,768978.3,1224,4.5,421080.1,0',
    ].join('\r\n');
    const { events } = parseBinanceArchive('klines', text, { instrumentId: id, interval: '1m', pricePrecision: 2, sizePrecision: 5 });
    expect(events[0].tsOpen).toBe(1735689600000000);
    expect(events[0].close.raw).toBe(9361093);
  });

  it('parses trades and aggTrades with the aggressor side from is_buyer_maker', () => {
    const trades = parseBinanceArchive('trades', '3349937012,42283.58000000,0.00139000,58.77417620,1704067200000,True,True\n', { instrumentId: id });
    expect(trades.events[0]).toMatchObject({ type: 'trade', tradeId: '3349937012', aggressorSide: 'SELLER', tsEvent: 1704067200000000 });
    const aggs = parseBinanceArchive(
      'aggTrades',
      'agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n2656446633,42313.90,0.004,4479146151,4479146151,1704067200077,false\n',
      { instrumentId: id },
    );
    expect(aggs.events[0]).toMatchObject({ tradeId: '2656446633', aggressorSide: 'BUYER', tsEvent: 1704067200077000 });
    expect(aggs.events[0].price.toString()).toBe('42313.90');
  });

  it('rejects bad rows with their line and reason and keeps the good ones', () => {
    const text = [
      '1,42283.58,0.1,4.2,1704067200000,true',
      '2,-5,0.1,4.2,1704067200001,true',
      '3,42283.58,abc,4.2,1704067200002,true',
      '4,42283.58,0.1,4.2,1704067200003,maybe',
      '5,42283.58,0.1',
      '6,42283.58,0.1,4.2,1704067200004,false',
    ].join('\n');
    const { events, rejected } = parseBinanceArchive('trades', text, { instrumentId: id });
    expect(events.map((e) => e.tradeId)).toEqual(['1', '6']);
    expect(rejected.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(rejected[0].reason).toMatch(/price.*positive/);
    expect(rejected[2].reason).toMatch(/is_buyer_maker/);
    expect(rejected[3].reason).toMatch(/columns/);
  });

  it('rejects klines whose high and low do not bound the bar, and needs an interval', () => {
    const bad = '1704067200000,10,9,8,9.5,1,1704067259999,1,1,0,0,0';
    expect(parseBinanceArchive('klines', bad, { instrumentId: id, interval: '1m' }).rejected[0].reason).toMatch(/high/);
    expect(() => parseBinanceArchive('klines', bad, { instrumentId: id })).toThrow(/interval/);
    expect(() => parseBinanceArchive('klines', bad, { instrumentId: id, interval: '100tick' })).toThrow(/time interval/);
  });

  it('reads the CSV inside a zip, and plain text as is', () => {
    const csv = '1,1.5,2,3,1704067200000,false\n';
    const zip = zipSync({ 'BTCUSDT-trades-2024-01-01.csv': strToU8(csv) });
    expect(archiveText(zip)).toBe(csv);
    expect(archiveText(strToU8(csv))).toBe(csv);
    expect(() => archiveText(zipSync({ 'a.txt': strToU8('x') }))).toThrow(/exactly one \.csv/);
    expect(() => archiveText(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toThrow(/not a readable zip/);
  });
});
