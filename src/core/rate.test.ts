import { describe, expect, it } from 'vitest';
import { Rate } from './rate.js';
import { ParseError } from './errors.js';

describe('Rate', () => {
  it('parses decimals and percentages exactly', () => {
    const r = Rate.parse('0.00075');
    expect(r.raw).toBe(75);
    expect(r.precision).toBe(5);
    expect(r.toString()).toBe('0.00075');
    expect(Rate.parsePercent('0.075').eq(r)).toBe(true);
    expect(Rate.parsePercent('-0.01').toString()).toBe('-0.0001');
    expect(Rate.parsePercent('5').toString()).toBe('0.05');
    expect(Rate.parse('1e-4').toString()).toBe('0.0001');
    expect(Rate.parse('0.5', 3).toString()).toBe('0.500');
  });

  it('formats as a percentage', () => {
    expect(Rate.parse('0.00075').toPercentString()).toBe('0.075%');
    expect(Rate.parse('-0.0001').toPercentString()).toBe('-0.01%');
    expect(Rate.parse('1').toPercentString()).toBe('100%');
    expect(Rate.parse('0.5').toPercentString()).toBe('50%');
    expect(Rate.parse('0').toPercentString()).toBe('0%');
  });

  it('rejects malformed rates naming the field', () => {
    expect(() => Rate.parse('abc')).toThrow(/^rate: /);
    expect(() => Rate.parse('x', undefined, 'makerFee')).toThrow(/^makerFee: /);
    expect(() => Rate.parsePercent('0.00000000001', 'takerFee')).toThrow(/^takerFee: /);
    expect(() => Rate.fromRaw(0.5, 2)).toThrow(ParseError);
    expect(() => Rate.zero(13)).toThrow(ParseError);
  });

  it('supports Fixed arithmetic and conversions', () => {
    expect(Rate.parse('0.001').add(Rate.parse('0.0005')).toString()).toBe('0.0015');
    expect(Rate.parse('0.001').neg().toString()).toBe('-0.001');
    expect(Object.is(Rate.zero(2).neg().raw, 0)).toBe(true);
    expect(Rate.fromNumber(0.1 + 0.2, 4).toString()).toBe('0.3000');
    expect(Rate.fromRaw(-0, 2).raw).toBe(0);
    expect(Rate.isRate(Rate.zero())).toBe(true);
    expect(Rate.isRate(0.1)).toBe(false);
  });
});
