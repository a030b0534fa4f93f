import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BarSpec, InstrumentId } from '../../core/index.js';
import { BarCopyError, decodeBarCopy } from './bar-copy.js';

const inst = InstrumentId.parse('BTCUSDT.BINANCE');
const spec = BarSpec.parse('1m');

/**
 * Encodes a decimal string the way numeric_send does, written from PostgreSQL's documentation of the
 * format: base-10000 digit groups aligned on the decimal point, leading and trailing zero groups dropped.
 */
function numericSend(text: string): Buffer {
  const negative = text.startsWith('-');
  const [intPart, frac = ''] = (negative ? text.slice(1) : text).split('.');
  const dscale = frac.length;
  const intDigits = intPart.replace(/^0+/, '');
  const intPadded = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const fracPadded = frac.padEnd(Math.ceil(frac.length / 4) * 4, '0');
  let groups: number[] = [];
  for (let i = 0; i < intPadded.length; i += 4) groups.push(Number(intPadded.slice(i, i + 4)));
  let weight = groups.length - 1;
  for (let i = 0; i < fracPadded.length; i += 4) groups.push(Number(fracPadded.slice(i, i + 4)));
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop();
  if (groups.length === 0) weight = 0;
  const isZero = groups.length === 0;
  const out = Buffer.alloc(8 + 2 * groups.length);
  out.writeInt16BE(groups.length, 0);
  out.writeInt16BE(weight, 2);
  out.writeUInt16BE(negative && !isZero ? 0x4000 : 0, 4);
  out.writeUInt16BE(dscale, 6);
  groups.forEach((g, i) => out.writeInt16BE(g, 8 + 2 * i));
  groups = [];
  return out;
}

function int8Send(x: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(x));
  return b;
}

type Field = Buffer;
function copyBinary(rows: Field[][]): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4), Buffer.alloc(4)];
  for (const r of rows) {
    const n = Buffer.alloc(2);
    n.writeInt16BE(r.length);
    parts.push(n);
    for (const f of r) {
      const len = Buffer.alloc(4);
      len.writeInt32BE(f.length);
      parts.push(len, f);
    }
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

interface TextBar {
  tsOpen: number;
  tsEvent: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  n: number;
  tsInit: number;
}
const row = (b: TextBar) => [int8Send(b.tsOpen), int8Send(b.tsEvent), ...[b.o, b.h, b.l, b.c, b.v].map(numericSend), int8Send(b.n), int8Send(b.tsInit)];

describe('decodeBarCopy', () => {
  it('reads numerics at their own scale, signs, zeros and group boundaries exactly', () => {
    const cases: TextBar[] = [
      { tsOpen: 60_000_000, tsEvent: 120_000_000, o: '-1.50', h: '2', l: '0.000000000001', c: '100.10', v: '0.000', n: 7, tsInit: 1_704_067_260_000_150 },
      { tsOpen: 120_000_000, tsEvent: 180_000_000, o: '10000', h: '12345678.9012', l: '0.0001', c: '99990000.5', v: '7.25', n: 0, tsInit: 180_000_000 },
      { tsOpen: 0, tsEvent: 1, o: '-0.00', h: '123456789012.345', l: '1.000000000000', c: '0.10000', v: '900719925474.0991', n: 2 ** 40, tsInit: 2 ** 53 - 1 },
    ];
    const bars = decodeBarCopy(copyBinary(cases.map(row)), inst, spec);
    expect(bars.map((b) => [b.open, b.high, b.low, b.close, b.volume].map((x) => x.toString()))).toEqual(
      cases.map((c) => [c.o === '-0.00' ? '0.00' : c.o, c.h, c.l, c.c, c.v]),
    );
    expect(bars.map((b) => [b.tsOpen, b.tsEvent, b.tradeCount, b.tsInit])).toEqual(cases.map((c) => [c.tsOpen, c.tsEvent, c.n, c.tsInit]));
    expect(bars[0]).toMatchObject({ type: 'bar', instrumentId: inst, spec });
    expect(bars[2].low.precision).toBe(12);
    expect(decodeBarCopy(copyBinary([]), inst, spec)).toEqual([]);
  });

  it('agrees with the decimal text for any bar (property)', () => {
    const decimal = (signed: boolean) =>
      fc
        .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 50n }), fc.integer({ min: 0, max: 12 }))
        .map(([neg, digits, scale]) => {
          const s = digits.toString().padStart(scale + 1, '0');
          const text = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`;
          return signed && neg && digits !== 0n ? `-${text}` : text;
        });
    const ts = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
    fc.assert(
      fc.property(
        fc.array(fc.record({ tsOpen: ts, tsEvent: ts, o: decimal(true), h: decimal(true), l: decimal(true), c: decimal(true), v: decimal(false), n: ts, tsInit: ts }), {
          maxLength: 12,
        }),
        (bars) => {
          const back = decodeBarCopy(copyBinary(bars.map(row)), inst, spec);
          expect(back.map((b) => [b.open, b.high, b.low, b.close, b.volume].map((x) => x.toString()))).toEqual(bars.map((b) => [b.o, b.h, b.l, b.c, b.v]));
          expect(back.map((b) => [b.tsOpen, b.tsEvent, b.tradeCount, b.tsInit])).toEqual(bars.map((b) => [b.tsOpen, b.tsEvent, b.n, b.tsInit]));
        },
      ),
    );
  });

  it('refuses what is not a whole, well-formed bar row', () => {
    const good: TextBar = { tsOpen: 1, tsEvent: 2, o: '1', h: '2', l: '3', c: '4', v: '5', n: 6, tsInit: 7 };
    const whole = copyBinary([row(good)]);
    expect(() => decodeBarCopy(whole.subarray(0, 10), inst, spec)).toThrow(BarCopyError);
    expect(() => decodeBarCopy(Buffer.concat([Buffer.from('X'), whole.subarray(1)]), inst, spec)).toThrow(/signature/);
    expect(() => decodeBarCopy(whole.subarray(0, whole.length - 6), inst, spec)).toThrow(/ends inside row 1/);
    expect(() => decodeBarCopy(copyBinary([row(good).slice(0, 8)]), inst, spec)).toThrow(/expected 9 fields, got 8/);
    expect(() => decodeBarCopy(copyBinary([[numericSend('1'), ...row(good).slice(1)]]), inst, spec)).toThrow(/int8 field/);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 2), int8Send(2 ** 48), ...row(good).slice(3)]]), inst, spec)).toThrow(/does not match 1 digits/);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 2), Buffer.alloc(4), ...row(good).slice(3)]]), inst, spec)).toThrow(/numeric field/);
    const nan = Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 2), nan, ...row(good).slice(3)]]), inst, spec)).toThrow(/NaN/);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 2), numericSend('12345678901234567'), ...row(good).slice(3)]]), inst, spec)).toThrow(/significant digits/);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 6), numericSend('-5'), ...row(good).slice(7)]]), inst, spec)).toThrow(/negative/);
    expect(() => decodeBarCopy(copyBinary([[int8Send(2 ** 53), ...row(good).slice(1)]]), inst, spec)).toThrow(/2\^53/);
    expect(() => decodeBarCopy(copyBinary([[...row(good).slice(0, 2), numericSend('1.0000000000001'), ...row(good).slice(3)]]), inst, spec)).toThrow();
  });
});
