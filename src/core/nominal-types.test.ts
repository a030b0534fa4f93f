import { describe, expect, it } from 'vitest';
import { Price, Quantity } from './price.js';
import { Rate } from './rate.js';

/**
 * "A price is not a quantity" (STYLE.md): the fixed-point classes are nominal. The @ts-expect-error lines
 * are checked by `npm run typecheck`, which fails if any of them ever compiles cleanly.
 */
describe('fixed-point types are distinct', () => {
  it('refuses to mix them at compile time', () => {
    const p = Price.parse('1');
    // @ts-expect-error a quantity is not a price
    const a = () => p.compare(Quantity.parse('1'));
    // @ts-expect-error a rate is not a price
    const b = () => p.add(Rate.parse('1'));
    // @ts-expect-error a price is not a quantity
    const c = () => Quantity.parse('1').sub(p);
    // At runtime the calls would go through (the values are all fixed point): only the types forbid them.
    expect(a()).toBe(0);
    expect(b().toString()).toBe('2');
    expect(c().isZero()).toBe(true);
  });
});
