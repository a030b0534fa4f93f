import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCoinbaseBookMessage } from './book-parse.js';

describe('parseCoinbaseBookMessage', () => {
  it('reads snapshot and l2update in the documented format', () => {
    expect(parseCoinbaseBookMessage('{"type":"snapshot","product_id":"BTC-USD","bids":[["10101.10","0.45054140"]],"asks":[["10102.55","0.57753524"]]}')).toEqual({
      type: 'snapshot',
      productId: 'BTC-USD',
      bids: [{ price: '10101.10', size: '0.45054140' }],
      asks: [{ price: '10102.55', size: '0.57753524' }],
    });
    expect(parseCoinbaseBookMessage({ type: 'l2update', product_id: 'BTC-USD', changes: [['buy', '10101.80000000', '0.0']], time: '2019-08-14T20:42:27.265Z' })).toEqual({
      type: 'l2update',
      productId: 'BTC-USD',
      changes: [{ side: 'buy', price: '10101.80000000', size: '0.0' }],
      time: '2019-08-14T20:42:27.265Z',
    });
    expect(parseCoinbaseBookMessage('{"type":"heartbeat"}')).toEqual({ type: 'other', messageType: 'heartbeat' });
  });

  it.each([
    ['{', 'invalid_json', undefined],
    ['1', 'not_object', undefined],
    ['{}', 'missing_field', 'type'],
    ['{"type":"snapshot"}', 'missing_field', 'product_id'],
    ['{"type":"snapshot","product_id":"X","bids":[]}', 'missing_field', 'asks'],
    ['{"type":"snapshot","product_id":"X","bids":{},"asks":[]}', 'bad_field', 'bids'],
    ['{"type":"l2update","product_id":"X","changes":[["hold","1","1"]]}', 'bad_field', 'changes[0][0]'],
    ['{"type":"l2update","product_id":"X","changes":[["buy","NaN","1"]]}', 'bad_price', 'changes[0][1]'],
    ['{"type":"l2update","product_id":"X","changes":[["buy","0.00","1"]]}', 'bad_price', 'changes[0][1]'],
    ['{"type":"l2update","product_id":"X","changes":[["sell","1","-1"]]}', 'negative_size', 'changes[0][2]'],
    ['{"type":"l2update","product_id":"X","changes":[["sell","1"]]}', 'bad_field', 'changes[0]'],
  ])('rejects %s', (text, reason, field) => {
    const m = parseCoinbaseBookMessage(text);
    expect(m.type === 'rejection' && [m.reason, m.field]).toEqual([reason, field]);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.anything()), (x) => void parseCoinbaseBookMessage(x)));
  });
});
