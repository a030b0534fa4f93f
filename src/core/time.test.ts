import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND, UnixMicros } from './time.js';
import { ParseError } from './errors.js';

describe('UnixMicros', () => {
  it('constants agree', () => {
    expect(MICROS_PER_MINUTE).toBe(60 * MICROS_PER_SECOND);
    expect(MICROS_PER_HOUR).toBe(60 * MICROS_PER_MINUTE);
    expect(MICROS_PER_DAY).toBe(24 * MICROS_PER_HOUR);
  });

  it('of accepts non-negative safe integers only', () => {
    expect(UnixMicros.of(0)).toBe(0);
    expect(UnixMicros.of(1_700_000_000_000_000)).toBe(1_700_000_000_000_000);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => UnixMicros.of(bad)).toThrow(ParseError);
    expect(UnixMicros.unsafe(-5)).toBe(-5);
  });

  it('converts from and to other units', () => {
    expect(UnixMicros.fromMillis(1_700_000_000_123)).toBe(1_700_000_000_123_000);
    expect(UnixMicros.fromSeconds(1.5)).toBe(1_500_000);
    expect(UnixMicros.fromNanos(1_700_000_000_123_456_789n)).toBe(1_700_000_000_123_456);
    expect(UnixMicros.fromNanos(1_999)).toBe(1);
    expect(UnixMicros.toMillis(UnixMicros.of(1_999))).toBe(1);
  });

  it('formats ISO with microseconds', () => {
    expect(UnixMicros.toIso(UnixMicros.of(0))).toBe('1970-01-01T00:00:00.000000Z');
    expect(UnixMicros.toIso(UnixMicros.of(1_704_164_645_123_456))).toBe('2024-01-02T03:04:05.123456Z');
  });

  it('parses ISO dates and date-times', () => {
    expect(UnixMicros.parseIso('2024-01-02')).toBe(1_704_153_600_000_000);
    expect(UnixMicros.parseIso('2024-01-02T03:04:05.123456Z')).toBe(1_704_164_645_123_456);
    expect(UnixMicros.parseIso('2024-01-02 03:04')).toBe(1_704_164_640_000_000);
    expect(UnixMicros.parseIso('2024-01-02T03:04:05.123456789Z')).toBe(1_704_164_645_123_456);
    expect(UnixMicros.parseIso('2024-01-02T05:34:05+02:30')).toBe(1_704_164_645_000_000);
    expect(UnixMicros.parseIso('2024-01-02T00:04:05-0300')).toBe(1_704_164_645_000_000);
    expect(UnixMicros.parseIso('2024-02-29')).toBe(1_709_164_800_000_000);
  });

  it.each(['', '2024', '2024-1-2', '2024-02-30', '2023-02-29', '2024-13-01', '2024-01-01T24:00', '2024-01-01T10:60', '2024-01-01T10:00+25:00', 'yesterday'])(
    'rejects %j naming the field',
    (s) => {
      expect(() => UnixMicros.parseIso(s)).toThrow(ParseError);
      expect(() => UnixMicros.parseIso(s)).toThrow(/^time: /);
    },
  );

  it('toIso and parseIso round-trip (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (t) => {
        const u = UnixMicros.of(t);
        expect(UnixMicros.parseIso(UnixMicros.toIso(u))).toBe(t);
      }),
      { numRuns: 1000 },
    );
  });
});
