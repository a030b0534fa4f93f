import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingMax, RollingMin } from './rolling-extreme.js';

describe('RollingMax / RollingMin', () => {
  it('equal a brute-force max/min over the window, and report the newest position of the extreme', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 200 }), (window, xs) => {
        const max = new RollingMax(window);
        const min = new RollingMin(window);
        xs.forEach((x, i) => {
          max.push(x);
          min.push(x);
          const win = xs.slice(Math.max(0, i - window + 1), i + 1);
          const hi = Math.max(...win);
          const lo = Math.min(...win);
          expect(max.value).toBe(hi);
          expect(min.value).toBe(lo);
          // Ties go to the newest bar, as in TA-Lib's AROON.
          expect(max.age).toBe(win.length - 1 - win.lastIndexOf(hi));
          expect(min.age).toBe(win.length - 1 - win.lastIndexOf(lo));
          expect(max.count).toBe(i + 1);
        });
      }),
    );
  });

  it('is NaN before the first push and after clear, and rejects a bad window', () => {
    const max = new RollingMax(3);
    expect(max.value).toBeNaN();
    expect(max.age).toBeNaN();
    max.push(1);
    max.clear();
    expect(max.value).toBeNaN();
    expect(max.count).toBe(0);
    expect(() => new RollingMin(0)).toThrow(/window/);
    expect(() => new RollingMin(1.5)).toThrow(/window/);
  });
});
