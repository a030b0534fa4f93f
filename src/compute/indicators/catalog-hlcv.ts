import type { IndicatorDefinition } from './definition.js';

/** Indicators over high, low, close and volume. */
export const hlcvIndicators: readonly IndicatorDefinition[] = [];
