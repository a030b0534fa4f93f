import { Instrument } from '../../core/instrument.js';
import type { BinanceSymbolRules } from './parse-rest.js';

/**
 * Binance trading rules as a core Instrument: price precision from PRICE_FILTER.tickSize, size precision
 * from LOT_SIZE.stepSize, min notional from NOTIONAL / MIN_NOTIONAL (in the quote currency). Fees are left
 * at zero: they depend on the account (VIP tier, BNB discount), not on the instrument. Throws the core
 * ParseError naming the field when the venue's values are inconsistent (e.g. minQty off the lot grid).
 */
export function toInstrument(rules: BinanceSymbolRules): Instrument {
  return Instrument.create({
    id: rules.instrumentId,
    kind: rules.kind,
    baseCurrency: rules.baseCurrency,
    quoteCurrency: rules.quoteCurrency,
    settlementCurrency: rules.settlementCurrency,
    pricePrecision: rules.pricePrecision,
    sizePrecision: rules.sizePrecision,
    tickSize: rules.tickSize,
    lotSize: rules.lotSize,
    minQuantity: rules.minQuantity,
    ...(rules.maxQuantity === undefined ? {} : { maxQuantity: rules.maxQuantity }),
    ...(rules.minNotional === undefined ? {} : { minNotional: rules.minNotional }),
  });
}
