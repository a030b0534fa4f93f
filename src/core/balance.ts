import { InvariantError, ParseError } from './errors.js';
import type { AccountId, Currency } from './identifiers.js';
import type { UnixMicros } from './time.js';
import { Money } from './money.js';

/** An expected failure (not enough free funds), returned rather than thrown. */
export type BalanceChange = { readonly ok: true; readonly balance: Balance } | { readonly ok: false; readonly reason: string };

/**
 * The balance of one currency in an account: `total = locked + free`, exactly, always (the constructor is
 * the only way in and it checks). `locked` is what open orders or margin hold and is never negative;
 * `free` may go negative only through `adjust` (a loss or fee larger than what is free on a margin
 * account), never through `lock`. Immutable: every change returns a new Balance.
 */
export class Balance {
  private constructor(
    readonly total: Money,
    readonly locked: Money,
    readonly free: Money,
  ) {}

  get currency(): Currency {
    return this.total.currency;
  }

  /** A balance with nothing locked. */
  static of(total: Money): Balance {
    const zero = Money.zero(total.currency, total.precision);
    return new Balance(total, zero, total);
  }

  static zero(currency: Currency, precision: number): Balance {
    return Balance.of(Money.zero(currency, precision));
  }

  /**
   * From the three figures a venue reports; they must agree exactly (ParseError otherwise: the report is
   * external input).
   */
  static fromParts(total: Money, locked: Money, free: Money): Balance {
    if (locked.currency !== total.currency || free.currency !== total.currency) {
      throw new ParseError(`currencies differ: ${total}, ${locked}, ${free}`, 'balance');
    }
    if (locked.isNegative()) throw new ParseError(`locked must not be negative: ${locked}`, 'locked');
    if (!locked.add(free).eq(total)) throw new ParseError(`total ${total} != locked ${locked} + free ${free}`, 'total');
    return new Balance(total, locked, free);
  }

  /** Holds `amount` of the free funds (an order being placed). */
  lock(amount: Money): BalanceChange {
    this.check(amount, 'lock');
    if (amount.gt(this.free)) return { ok: false, reason: `cannot lock ${amount}: only ${this.free} free` };
    return { ok: true, balance: new Balance(this.total, this.locked.add(amount), this.free.sub(amount)) };
  }

  /** Releases `amount` of the locked funds (an order canceled or filled). */
  unlock(amount: Money): BalanceChange {
    this.check(amount, 'unlock');
    if (amount.gt(this.locked)) return { ok: false, reason: `cannot unlock ${amount}: only ${this.locked} locked` };
    return { ok: true, balance: new Balance(this.total, this.locked.sub(amount), this.free.add(amount)) };
  }

  /** Adds a signed amount to the total and the free part (a deposit, a realized P&L, a fee as a negative). */
  adjust(delta: Money): Balance {
    if (delta.currency !== this.currency) throw new InvariantError(`cannot adjust a ${this.currency} balance by ${delta}`);
    return new Balance(this.total.add(delta), this.locked, this.free.add(delta));
  }

  private check(amount: Money, op: string): void {
    if (amount.currency !== this.currency) throw new InvariantError(`cannot ${op} ${amount} on a ${this.currency} balance`);
    if (amount.isNegative()) throw new InvariantError(`cannot ${op} a negative amount: ${amount}`);
  }

  toString(): string {
    return `${this.currency} total=${this.total.toDecimalString()} locked=${this.locked.toDecimalString()} free=${this.free.toDecimalString()}`;
  }

  toJSON(): { currency: string; total: string; locked: string; free: string } {
    return { currency: this.currency, total: this.total.toDecimalString(), locked: this.locked.toDecimalString(), free: this.free.toDecimalString() };
  }
}

/** The balances of an account, one per currency. Immutable: changes return a new Balances. */
export class Balances {
  private constructor(private readonly byCurrency: ReadonlyMap<Currency, Balance>) {}

  static empty(): Balances {
    return new Balances(new Map());
  }

  static of(balances: readonly Balance[]): Balances {
    const m = new Map<Currency, Balance>();
    for (const b of balances) {
      if (m.has(b.currency)) throw new ParseError(`two balances for ${b.currency}`, 'balances');
      m.set(b.currency, b);
    }
    return new Balances(m);
  }

  get(currency: Currency): Balance | undefined {
    return this.byCurrency.get(currency);
  }

  currencies(): readonly Currency[] {
    return [...this.byCurrency.keys()];
  }

  all(): readonly Balance[] {
    return [...this.byCurrency.values()];
  }

  with(balance: Balance): Balances {
    const m = new Map(this.byCurrency);
    m.set(balance.currency, balance);
    return new Balances(m);
  }

  /** Adds a signed amount in its currency, opening a balance of that currency if there is none. */
  adjust(delta: Money): Balances {
    const b = this.byCurrency.get(delta.currency) ?? Balance.zero(delta.currency, delta.precision);
    return this.with(b.adjust(delta));
  }
}

/**
 * The balances of an account at a moment, as the venue reported them (`reported`) or as Tradewind
 * computed them from fills and fees.
 */
export interface AccountState {
  readonly type: 'AccountState';
  readonly eventId: string;
  readonly accountId: AccountId;
  readonly balances: readonly Balance[];
  readonly reported: boolean;
  readonly tsEvent: UnixMicros;
  readonly tsInit: UnixMicros;
}

export const AccountState = {
  of(fields: Omit<AccountState, 'type' | 'balances'> & { readonly balances: Balances }): AccountState {
    return Object.freeze({ ...fields, type: 'AccountState', balances: Object.freeze(fields.balances.all()) });
  },
} as const;
