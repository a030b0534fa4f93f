import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ring } from './ring.js';

describe('Ring', () => {
  it('keeps the newest `capacity` items, newest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer(), { maxLength: 30 }), (cap, xs) => {
        const r = new Ring<number>(cap);
        for (const x of xs) r.push(x);
        const expected = xs.slice(-cap).reverse();
        expect(r.length).toBe(expected.length);
        expect(r.toArray()).toEqual(expected);
        expected.forEach((x, i) => expect(r.get(i)).toBe(x));
        expect(r.get(expected.length)).toBeUndefined();
      }),
    );
  });

  it('rejects bad capacities and indexes, and clears', () => {
    expect(() => new Ring(0)).toThrow(RangeError);
    expect(() => new Ring(1.5)).toThrow(RangeError);
    const r = new Ring<string>(2);
    r.push('a');
    expect(r.get(-1)).toBeUndefined();
    expect(r.get(0.5)).toBeUndefined();
    expect(r.get()).toBe('a');
    r.clear();
    expect(r.length).toBe(0);
    expect(r.get()).toBeUndefined();
    r.push('b');
    expect(r.toArray()).toEqual(['b']);
  });
});
