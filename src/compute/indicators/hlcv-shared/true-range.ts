/**
 * Wilder's true range, written with TA-Lib's operation order (TA_TRANGE) so that the smoothed averages built
 * on it agree with TA-Lib to the last bit, including at its exact comparisons.
 */
export function trueRange(high: number, low: number, prevClose: number): number {
  let greatest = high - low;
  const val2 = Math.abs(prevClose - high);
  if (val2 > greatest) greatest = val2;
  const val3 = Math.abs(prevClose - low);
  if (val3 > greatest) greatest = val3;
  return greatest;
}

/** TA-Lib's TA_IS_ZERO: |v| below 1e-14 counts as zero for its division guards. */
export function taIsZero(v: number): boolean {
  return -1e-14 < v && v < 1e-14;
}
