import type { IndicatorDefinition } from './definition.js';

/** Indicators over a single price series (owned by the price-indicator work). */
export const priceIndicators: readonly IndicatorDefinition[] = [];
