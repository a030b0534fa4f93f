import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnixMicros } from '../../core/time.js';
import { ExchangeTradeSequencer, parseExchangeMessage } from './parse-exchange.js';

const tsInit = UnixMicros.of(1_700_000_000_000_000);

describe('Coinbase Exchange feed', () => {
  it('parses a match with the aggressor opposite to the maker side', () => {
    const m = parseExchangeMessage(
      JSON.stringify({ type: 'match', trade_id: 280232, maker_order_id: 'a', taker_order_id: 'b', side: 'sell', size: '985', price: '0.00001305', product_id: 'SKL-BTC', sequence: 177100030, time: '2021-04-17T16:43:37.089723Z' }),
      tsInit,
    );
    expect(m.kind).toBe('trade');
    if (m.kind !== 'trade') return;
    expect(m.event).toMatchObject({ instrumentId: 'SKL-BTC.COINBASE', tradeId: '280232', aggressorSide: 'BUYER', tsEvent: 1618677817089723 });
    expect(m.event.price.toString()).toBe('0.00001305');
    expect(m.sequence).toBe(177100030);
    const buy = parseExchangeMessage(JSON.stringify({ type: 'last_match', trade_id: 1, side: 'buy', size: '1', price: '2', product_id: 'A-B', sequence: 1, time: '2021-04-17T16:43:37Z' }), tsInit);
    expect(buy.kind === 'trade' && buy.event.aggressorSide).toBe('SELLER');
  });

  it('makes quotes from tickers that carry sizes, and none from tickers that do not', () => {
    const withSizes = parseExchangeMessage(
      JSON.stringify({ type: 'ticker', sequence: 5, product_id: 'BTC-USD', price: '100', best_bid: '99.5', best_bid_size: '1.5', best_ask: '100.5', best_ask_size: '2', time: '2022-01-01T00:00:00.5Z' }),
      tsInit,
    );
    expect(withSizes.kind === 'quote' && withSizes.event?.bidSize.toString()).toBe('1.5');
    const old = parseExchangeMessage(JSON.stringify({ type: 'ticker', sequence: 27883326, product_id: 'SKL-GBP', price: '0.5752', best_bid: '0.5752', best_ask: '0.5771', time: '2021-04-17T16:43:29.571587Z' }), tsInit);
    expect(old).toMatchObject({ kind: 'quote', event: undefined, sequence: 27883326 });
  });

  it('takes a ticker with an empty side (null price and size) as valid but makes no quote from it', () => {
    const base = { type: 'ticker', sequence: 9, product_id: 'BTC-USD', price: '100', time: '2022-01-01T00:00:00.5Z' };
    const noAsk = parseExchangeMessage(JSON.stringify({ ...base, best_bid: '99.5', best_bid_size: '1.5', best_ask: null, best_ask_size: null }), tsInit);
    expect(noAsk).toMatchObject({ kind: 'quote', event: undefined, sequence: 9, productId: 'BTC-USD' });
    const noBid = parseExchangeMessage(JSON.stringify({ ...base, best_bid: null, best_bid_size: null, best_ask: '100.5', best_ask_size: '2' }), tsInit);
    expect(noBid).toMatchObject({ kind: 'quote', event: undefined });
    // the side that is there is still checked, and a null price with a size is malformed
    expect(parseExchangeMessage(JSON.stringify({ ...base, best_bid: '0', best_bid_size: '1', best_ask: null, best_ask_size: null }), tsInit)).toMatchObject({ kind: 'rejection', field: 'best_bid' });
    expect(parseExchangeMessage(JSON.stringify({ ...base, best_bid: null, best_bid_size: '1', best_ask: '100.5', best_ask_size: '2' }), tsInit)).toMatchObject({ kind: 'rejection', field: 'best_bid_size' });
  });

  it('parses level2 snapshots and updates', () => {
    const snap = parseExchangeMessage(JSON.stringify({ type: 'snapshot', product_id: 'BAND-GBP', asks: [['14.8024', '12.77']], bids: [['14.7693', '27.51'], ['14.7659', '12.48']] }), tsInit);
    expect(snap.kind === 'book_snapshot' && snap.event.bids.map(([p]) => p.toString())).toEqual(['14.7693', '14.7659']);
    const upd = parseExchangeMessage(JSON.stringify({ type: 'l2update', product_id: 'SKL-USD', changes: [['buy', '0.7885', '0.0'], ['sell', '0.7923', '7441.5']], time: '2021-04-17T16:43:37.077621Z' }), tsInit);
    expect(upd.kind === 'book_deltas' && upd.event.deltas.map((d) => `${d.side} ${d.price} ${d.size}`)).toEqual(['BID 0.7885 0.0', 'ASK 0.7923 7441.5']);
  });

  it('parses heartbeats, subscriptions and errors', () => {
    expect(parseExchangeMessage('{"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD","time":"2014-11-07T08:19:28.464459Z"}', tsInit)).toEqual({
      kind: 'heartbeat',
      productId: 'BTC-USD',
      sequence: 90,
      lastTradeId: 20,
      time: 1415348368464459,
    });
    expect(parseExchangeMessage('{"type":"subscriptions","channels":[{"name":"level2","product_ids":["BAND-GBP"]}]}', tsInit)).toEqual({
      kind: 'subscriptions',
      channels: [{ name: 'level2', productIds: ['BAND-GBP'] }],
    });
    expect(parseExchangeMessage('{"type":"error","message":"Failed to subscribe","reason":"x is not a valid product"}', tsInit)).toMatchObject({ kind: 'error', reason: 'x is not a valid product' });
  });

  it('rejects bad frames with a reason and the field', () => {
    const cases: [string, string, string | undefined][] = [
      ['not json', 'invalid_json', undefined],
      ['[1]', 'not_object', 'message'],
      ['{"type":"full"}', 'unknown_type', 'type'],
      ['{"type":"match","trade_id":1,"side":"buy","size":"1","price":"-2","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}', 'negative_price', 'price'],
      ['{"type":"match","trade_id":1,"side":"buy","size":"0","price":"2","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}', 'bad_size', 'size'],
      ['{"type":"match","trade_id":1,"side":"buy","price":"2","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}', 'missing_field', 'size'],
      ['{"type":"match","trade_id":1,"side":"buy","size":"1","price":"2.0000000000001","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}', 'bad_price', 'price'],
      ['{"type":"match","trade_id":1,"side":"up","size":"1","price":"2","product_id":"A-B","sequence":1,"time":"2021-04-17T16:43:37Z"}', 'bad_field', 'side'],
      ['{"type":"match","trade_id":1,"side":"buy","size":"1","price":"2","product_id":"A-B","sequence":1,"time":"yesterday"}', 'bad_field', 'time'],
      ['{"type":"l2update","product_id":"A-B","changes":[["buy","1","NaN"]],"time":"2021-04-17T16:43:37Z"}', 'bad_size', 'changes[0][2]'],
    ];
    for (const [text, reason, field] of cases) expect(parseExchangeMessage(text, tsInit), text).toMatchObject({ kind: 'rejection', reason, field });
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => void parseExchangeMessage(text, tsInit)), { numRuns: 2000 });
  });

  it('detects missed trades from trade ids and heartbeats, and duplicates', () => {
    const seq = new ExchangeTradeSequencer();
    expect(seq.onTrade('BTC-USD', 10)).toBe('ok');
    expect(seq.onTrade('BTC-USD', 11)).toBe('ok');
    expect(seq.onTrade('BTC-USD', 11)).toBe('duplicate');
    expect(seq.onTrade('BTC-USD', 15)).toEqual([12, 14]);
    expect(seq.onTrade('ETH-USD', 3)).toBe('ok');
    expect(seq.onHeartbeat('BTC-USD', 15)).toBeUndefined();
    expect(seq.onHeartbeat('BTC-USD', 18)).toEqual([16, 18]);
    expect(seq.onHeartbeat('SOL-USD', 7)).toBeUndefined();
    expect(seq.onTrade('SOL-USD', 8)).toBe('ok');
    seq.reset('BTC-USD');
    expect(seq.onTrade('BTC-USD', 100)).toBe('ok');
    seq.reset();
    expect(seq.onTrade('ETH-USD', 1)).toBe('ok');
  });
});
