import { formatFixed, formatPadded } from '../fixed.js';
import type { SymbolSpec } from '../symbols.js';
import type { BinanceMarketKind } from './wire.js';

/** `exchangeInfo` bodies in the venue's current shape (spot: NOTIONAL filter; futures: MIN_NOTIONAL). */

function spotSymbol(s: SymbolSpec): unknown {
  const tick = formatPadded(1, s.pricePrecision, 8);
  const step = formatPadded(1, s.qtyPrecision, 8);
  return {
    symbol: s.symbol,
    status: 'TRADING',
    baseAsset: s.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: s.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: '1000000.00000000', tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty: '9000000.00000000', stepSize: step },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: '100000.00000000', stepSize: '0.00000000' },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

function futuresSymbol(s: SymbolSpec): unknown {
  const tick = formatFixed(1, s.pricePrecision);
  const step = formatFixed(1, s.qtyPrecision);
  return {
    symbol: s.symbol,
    pair: s.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    marginAsset: s.quoteAsset,
    pricePrecision: s.pricePrecision,
    quantityPrecision: s.qtyPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    filters: [
      { minPrice: tick, maxPrice: '1000000', filterType: 'PRICE_FILTER', tickSize: tick },
      { stepSize: step, filterType: 'LOT_SIZE', maxQty: '1000000', minQty: step },
      { stepSize: step, filterType: 'MARKET_LOT_SIZE', maxQty: '100000', minQty: step },
      { limit: 200, filterType: 'MAX_NUM_ORDERS' },
      { limit: 10, filterType: 'MAX_NUM_ALGO_ORDERS' },
      { notional: '5', filterType: 'MIN_NOTIONAL' },
      { multiplierDown: '0.9500', multiplierUp: '1.0500', multiplierDecimal: '4', filterType: 'PERCENT_PRICE' },
    ],
    orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
  };
}

export const spotRateLimits = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
  { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
];

const futuresRateLimits = [
  { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
  { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
  { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
];

export function exchangeInfoBody(kind: BinanceMarketKind, specs: readonly SymbolSpec[], serverTimeMs: number): string {
  if (kind === 'spot') {
    return JSON.stringify({ timezone: 'UTC', serverTime: serverTimeMs, rateLimits: spotRateLimits, exchangeFilters: [], symbols: specs.map(spotSymbol) });
  }
  const assets = [...new Set(specs.map((s) => s.quoteAsset))].map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' }));
  return JSON.stringify({
    timezone: 'UTC',
    serverTime: serverTimeMs,
    futuresType: 'U_MARGINED',
    rateLimits: futuresRateLimits,
    exchangeFilters: [],
    assets,
    symbols: specs.map(futuresSymbol),
  });
}
