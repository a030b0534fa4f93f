import { describe, expect, it } from 'vitest';
import { InvariantError, ParseError, TradewindError, assertNever } from './errors.js';

describe('errors', () => {
  it('carry their own class name and a cause', () => {
    const cause = new Error('root');
    const e = new ParseError('bad digits', 'price', { cause });
    expect(e).toBeInstanceOf(TradewindError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ParseError');
    expect(e.field).toBe('price');
    expect(e.message).toBe('price: bad digits');
    expect(e.cause).toBe(cause);
    expect(new ParseError('no field').message).toBe('no field');
    expect(new InvariantError('x').name).toBe('InvariantError');
  });

  it('assertNever throws an InvariantError naming the value', () => {
    const f = (v: 'a' | 'b'): string => {
      switch (v) {
        case 'a':
          return 'A';
        case 'b':
          return 'B';
        default:
          return assertNever(v, 'letter');
      }
    };
    expect(f('a')).toBe('A');
    expect(() => f('c' as 'a')).toThrow(InvariantError);
    expect(() => f('c' as 'a')).toThrow('unexpected letter: "c"');
  });
});
