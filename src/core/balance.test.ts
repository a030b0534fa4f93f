import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AccountState, Balance, Balances } from './balance.js';
import { AccountId } from './identifiers.js';
import { UnixMicros } from './time.js';
import { Currency } from './identifiers.js';
import { Money } from './money.js';
import { InvariantError, ParseError } from './errors.js';

const USDT = Currency.parse('USDT');
const BTC = Currency.parse('BTC');
const u = (s: string) => Money.parse(s, USDT);

describe('Balance', () => {
  it('starts with everything free', () => {
    const b = Balance.of(u('100.00'));
    expect(b.currency).toBe('USDT');
    expect(b.total.toDecimalString()).toBe('100.00');
    expect(b.locked.isZero()).toBe(true);
    expect(b.free.toDecimalString()).toBe('100.00');
    expect(Balance.zero(BTC, 8).toString()).toBe('BTC total=0.00000000 locked=0.00000000 free=0.00000000');
  });

  it('locks and unlocks free funds, refusing more than there is', () => {
    const b = Balance.of(u('100.00'));
    const r = b.lock(u('30.5'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.balance.toJSON()).toEqual({ currency: 'USDT', total: '100.00', locked: '30.50', free: '69.50' });
    expect(r.balance.lock(u('69.51'))).toEqual({ ok: false, reason: 'cannot lock 69.51 USDT: only 69.50 USDT free' });
    expect(r.balance.unlock(u('30.51')).ok).toBe(false);
    const back = r.balance.unlock(u('30.5'));
    expect(back.ok && back.balance.free.eq(u('100'))).toBe(true);
    expect(b.locked.isZero()).toBe(true); // immutable
    expect(() => b.lock(u('-1'))).toThrow(InvariantError);
    expect(() => b.lock(Money.parse('1', BTC))).toThrow(InvariantError);
  });

  it('adjusts total and free together', () => {
    const r = Balance.of(u('10')).lock(u('4'));
    if (!r.ok) throw new Error('lock failed');
    const b = r.balance.adjust(u('-7.25'));
    expect(b.toJSON()).toEqual({ currency: 'USDT', total: '2.75', locked: '4', free: '-1.25' });
    expect(() => b.adjust(Money.parse('1', BTC))).toThrow(InvariantError);
  });

  it('fromParts checks total = locked + free exactly', () => {
    expect(Balance.fromParts(u('10.00'), u('2.5'), u('7.5')).free.toDecimalString()).toBe('7.5');
    expect(() => Balance.fromParts(u('10.00'), u('2.5'), u('7.49'))).toThrow(/^total: /);
    expect(() => Balance.fromParts(u('10.00'), u('-1'), u('11'))).toThrow(/^locked: /);
    expect(() => Balance.fromParts(u('10.00'), Money.parse('2', BTC), u('8'))).toThrow(ParseError);
  });

  it('keeps total = locked + free through any sequence of changes (property)', () => {
    const op = fc.record({ kind: fc.constantFrom('lock', 'unlock', 'adjust'), raw: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
        let b = Balance.of(Money.of(10n ** 11n, USDT, 2));
        for (const o of ops) {
          const amount = Money.of(o.raw < 0n && o.kind !== 'adjust' ? -o.raw : o.raw, USDT, 2);
          if (o.kind === 'adjust') b = b.adjust(amount);
          else {
            const r = o.kind === 'lock' ? b.lock(amount) : b.unlock(amount);
            if (r.ok) b = r.balance;
            else expect(amount.gt(o.kind === 'lock' ? b.free : b.locked)).toBe(true);
          }
          expect(b.locked.add(b.free).eq(b.total)).toBe(true);
          expect(b.locked.isNegative()).toBe(false);
        }
      }),
    );
  });
});

describe('Balances', () => {
  it('holds one balance per currency', () => {
    let bs = Balances.empty().adjust(u('5')).adjust(Money.parse('0.1', BTC)).adjust(u('-1.5'));
    expect(bs.get(USDT)?.total.toDecimalString()).toBe('3.5');
    expect(bs.get(BTC)?.total.toDecimalString()).toBe('0.1');
    expect(bs.currencies()).toEqual(['USDT', 'BTC']);
    expect(bs.all()).toHaveLength(2);
    bs = bs.with(Balance.of(u('1')));
    expect(bs.get(USDT)?.total.toDecimalString()).toBe('1');
    expect(Balances.of([Balance.of(u('1'))]).get(BTC)).toBeUndefined();
    expect(() => Balances.of([Balance.of(u('1')), Balance.of(u('2'))])).toThrow(/^balances: /);
  });
});

describe('AccountState', () => {
  it('freezes a snapshot of the balances', () => {
    const bs = Balances.of([Balance.of(u('10')), Balance.of(Money.parse('0.5', BTC))]);
    const st = AccountState.of({ eventId: 'E-1', accountId: AccountId.parse('A-1'), balances: bs, reported: true, tsEvent: UnixMicros.of(1), tsInit: UnixMicros.of(2) });
    expect(st.type).toBe('AccountState');
    expect(st.balances.map(String)).toEqual(['USDT total=10 locked=0 free=10', 'BTC total=0.5 locked=0.0 free=0.5']);
    expect(Object.isFrozen(st) && Object.isFrozen(st.balances)).toBe(true);
    expect(st.reported).toBe(true);
  });
});
