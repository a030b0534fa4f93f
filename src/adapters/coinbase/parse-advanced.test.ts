import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnixMicros } from '../../core/time.js';
import { AdvancedSequence, parseAdvancedMessage } from './parse-advanced.js';

const tsInit = UnixMicros.of(1_700_000_000_000_000);
const envelope = (channel: string, events: unknown[], seq = 0) =>
  JSON.stringify({ channel, client_id: '', timestamp: '2023-02-09T20:32:50.714964855Z', sequence_num: seq, events });

describe('Coinbase Advanced Trade', () => {
  it('parses the documented heartbeats example (counter as a string)', () => {
    const text = JSON.stringify({
      channel: 'heartbeats',
      client_id: '',
      timestamp: '2023-06-23T20:31:26.122969572Z',
      sequence_num: 0,
      events: [{ current_time: '2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105', heartbeat_counter: '3049' }],
    });
    expect(parseAdvancedMessage(text, tsInit)).toEqual({ kind: 'message', message: { channel: 'heartbeats', sequence: 0, events: [], heartbeat: 3049 } });
  });

  it('parses market trades, tickers and level2 snapshots and updates', () => {
    const trades = parseAdvancedMessage(envelope('market_trades', [{ type: 'update', trades: [{ trade_id: '000000000', product_id: 'ETH-USD', price: '1260.01', size: '0.3', side: 'BUY', time: '2019-08-14T20:42:27.265Z' }] }], 7), tsInit);
    expect(trades.kind).toBe('message');
    if (trades.kind !== 'message') return;
    expect(trades.message.sequence).toBe(7);
    expect(trades.message.events[0]).toMatchObject({ type: 'trade', instrumentId: 'ETH-USD.COINBASE', aggressorSide: 'SELLER', tsEvent: 1565815347265000 });

    const ticker = parseAdvancedMessage(envelope('ticker', [{ type: 'snapshot', tickers: [{ type: 'ticker', product_id: 'BTC-USD', price: '21932.98', best_bid: '21931.5', best_bid_quantity: '0.01', best_ask: '21933.1', best_ask_quantity: '0.2' }] }]), tsInit);
    expect(ticker.kind === 'message' && ticker.message.events[0]).toMatchObject({ type: 'quote', tsEvent: 1675974770714964 });

    const book = parseAdvancedMessage(
      envelope('l2_data', [
        {
          type: 'snapshot',
          product_id: 'BTC-USD',
          updates: [
            { side: 'bid', event_time: '1970-01-01T00:00:00Z', price_level: '21921.73', new_quantity: '0.06317902' },
            { side: 'bid', event_time: '1970-01-01T00:00:00Z', price_level: '21921.3', new_quantity: '0.02' },
            { side: 'offer', event_time: '1970-01-01T00:00:00Z', price_level: '21921.74', new_quantity: '0.01' },
          ],
        },
      ], 3),
      tsInit,
    );
    expect(book.kind === 'message' && book.message.events[0].type === 'book_snapshot' && book.message.events[0].bids.map(([p]) => p.toString())).toEqual(['21921.73', '21921.3']);
    const update = parseAdvancedMessage(envelope('l2_data', [{ type: 'update', product_id: 'BTC-USD', updates: [{ side: 'offer', event_time: '2023-02-09T20:32:50.714964855Z', price_level: '21921.74', new_quantity: '0' }] }], 4), tsInit);
    expect(update.kind === 'message' && update.message.events[0]).toMatchObject({ type: 'book_deltas', sequence: 4 });
  });

  it('reads subscriptions and errors, rejects bad messages', () => {
    expect(parseAdvancedMessage(envelope('subscriptions', [{ subscriptions: { level2: ['BTC-USD'], heartbeats: ['heartbeats'] } }]), tsInit)).toMatchObject({
      kind: 'message',
      message: { subscriptions: { level2: ['BTC-USD'] } },
    });
    expect(parseAdvancedMessage('{"type":"error","message":"authentication failure"}', tsInit)).toEqual({ kind: 'error', message: 'authentication failure' });
    expect(parseAdvancedMessage(envelope('candles', [{}]), tsInit)).toMatchObject({ kind: 'rejection', reason: 'unknown_type' });
    expect(parseAdvancedMessage(envelope('market_trades', [{ trades: [{ trade_id: '1', product_id: 'ETH-USD', price: '1', size: '1', side: 'UP', time: '2019-08-14T20:42:27Z' }] }]), tsInit)).toMatchObject({
      kind: 'rejection',
      field: 'events[0].trades[0].side',
    });
    expect(parseAdvancedMessage('{', tsInit)).toMatchObject({ kind: 'rejection', reason: 'invalid_json' });
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json()), (text) => void parseAdvancedMessage(text, tsInit)), { numRuns: 2000 });
  });

  it('counts missed messages from sequence_num', () => {
    const s = new AdvancedSequence();
    expect([s.next(0), s.next(1), s.next(2), s.next(5), s.next(4), s.next(6)]).toEqual([0, 0, 0, 2, 0, 0]);
    s.reset();
    expect(s.next(100)).toBe(0);
  });
});
