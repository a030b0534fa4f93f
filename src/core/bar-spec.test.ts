import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BarSpec, BarUnit, PriceSource } from './bar-spec.js';
import { MICROS_PER_MINUTE } from './time.js';
import { ParseError } from './errors.js';

describe('BarSpec', () => {
  it.each([
    ['1m', 1, 'minute', 'last'],
    ['15s', 15, 'second', 'last'],
    ['4h', 4, 'hour', 'last'],
    ['1d', 1, 'day', 'last'],
    ['100tick', 100, 'tick', 'last'],
    ['100t', 100, 'tick', 'last'],
    ['1000volume', 1000, 'volume', 'last'],
    ['2.5vol', 2.5, 'volume', 'last'],
    ['5e6value', 5_000_000, 'value', 'last'],
    ['1m-mid', 1, 'minute', 'mid'],
    ['1-minute-last', 1, 'minute', 'last'],
    ['1-MINUTE-BID', 1, 'minute', 'bid'],
    ['5-second', 5, 'second', 'last'],
    [' 1H ', 1, 'hour', 'last'],
  ])('parses %j', (s, step, unit, source) => {
    expect(BarSpec.parse(s)).toEqual({ step, unit, source });
  });

  it.each(['', 'm', '1x', '1month', '0m', '1.5m', '1.5tick', '1m-close', '-1m', '1 m', '1e20d'])('rejects %j', (s) => {
    expect(() => BarSpec.parse(s)).toThrow(ParseError);
  });

  it('names the failing field', () => {
    expect(() => BarSpec.parse('xyz')).toThrow(/^spec: /);
    expect(() => BarSpec.parse('0m')).toThrow(/^step: /);
    expect(() => BarSpec.of(1, 'week' as BarUnit)).toThrow(/^unit: /);
    expect(() => BarSpec.of(1, BarUnit.Minute, 'open' as PriceSource)).toThrow(/^source: /);
    expect(() => BarSpec.of(Number.NaN, BarUnit.Volume)).toThrow(/^step: /);
    expect(() => BarSpec.of(Infinity, BarUnit.Volume)).toThrow(/^step: /);
    expect(() => BarSpec.of(200_000, BarUnit.Day)).toThrow(/^step: time bar step too long/);
  });

  it('gives durations for time bars only', () => {
    expect(BarSpec.durationMicros(BarSpec.parse('5m'))).toBe(5 * MICROS_PER_MINUTE);
    expect(BarSpec.durationMicros(BarSpec.parse('100tick'))).toBeUndefined();
    expect(BarSpec.isTimeBased(BarSpec.parse('1d'))).toBe(true);
    expect(BarSpec.isTimeBased(BarSpec.parse('1000volume'))).toBe(false);
  });

  it('is frozen and compares by value', () => {
    const a = BarSpec.parse('1m');
    expect(Object.isFrozen(a)).toBe(true);
    expect(BarSpec.equals(a, BarSpec.of(1, BarUnit.Minute))).toBe(true);
    expect(BarSpec.equals(a, BarSpec.parse('1m-bid'))).toBe(false);
    expect(BarSpec.equals(a, BarSpec.parse('2m'))).toBe(false);
    expect(BarSpec.equals(a, BarSpec.parse('1s'))).toBe(false);
  });

  it('toString and parse round-trip (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.constantFrom(...Object.values(BarUnit)),
        fc.constantFrom(...Object.values(PriceSource)),
        (step, unit, source) => {
          const spec = BarSpec.of(step, unit, source);
          const text = BarSpec.toString(spec);
          expect(BarSpec.parse(text)).toEqual(spec);
        },
      ),
    );
    expect(BarSpec.toString(BarSpec.parse('1-minute-ask'))).toBe('1m-ask');
  });
});
