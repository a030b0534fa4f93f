import { describe, expect, it } from 'vitest';
import { Price, Quantity } from '../../core/price.js';
import { toInstrument } from './instruments.js';
import { parseExchangeInfo } from './parse-rest.js';

const body = {
  symbols: [
    {
      symbol: 'BTCUSDT',
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
        { filterType: 'MIN_NOTIONAL', minNotional: '10.00000000', applyToMarket: true, avgPriceMins: 5 },
      ],
    },
  ],
};

describe('toInstrument', () => {
  it('builds a core Instrument with the precisions and rules of exchangeInfo', () => {
    const r = parseExchangeInfo(body, 'spot');
    if (!r.ok) throw new Error('fixture did not parse');
    const i = toInstrument(r.value.symbols[0]);
    expect([i.id, i.kind, i.pricePrecision, i.sizePrecision, String(i.tickSize), String(i.lotSize), String(i.minQuantity)]).toEqual([
      'BTCUSDT.BINANCE',
      'spot',
      2,
      5,
      '0.01',
      '0.00001',
      '0.00001',
    ]);
    expect(i.validateOrderSize(Price.parse('30000.00', 2), Quantity.parse('0.0001', 5)).ok).toBe(false);
    expect(i.validateOrderSize(Price.parse('30000.00', 2), Quantity.parse('0.001', 5)).ok).toBe(true);
  });
});
