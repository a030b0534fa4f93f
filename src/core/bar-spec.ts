import { ParseError } from './errors.js';
import { MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND } from './time.js';

export const BarUnit = {
  Second: 'second',
  Minute: 'minute',
  Hour: 'hour',
  Day: 'day',
  Tick: 'tick',
  Volume: 'volume',
  Value: 'value',
} as const;
export type BarUnit = (typeof BarUnit)[keyof typeof BarUnit];

export const PriceSource = { Last: 'last', Bid: 'bid', Ask: 'ask', Mid: 'mid' } as const;
export type PriceSource = (typeof PriceSource)[keyof typeof PriceSource];

/** What a bar aggregates: `step` units of `unit`, priced from `source`. */
export interface BarSpec {
  readonly step: number;
  readonly unit: BarUnit;
  readonly source: PriceSource;
}

const SHORT_UNITS: Readonly<Record<string, BarUnit>> = {
  s: BarUnit.Second,
  m: BarUnit.Minute,
  h: BarUnit.Hour,
  d: BarUnit.Day,
  t: BarUnit.Tick,
  tick: BarUnit.Tick,
  ticks: BarUnit.Tick,
  v: BarUnit.Volume,
  vol: BarUnit.Volume,
  volume: BarUnit.Volume,
  value: BarUnit.Value,
};

const UNIT_MICROS: Partial<Record<BarUnit, number>> = {
  second: MICROS_PER_SECOND,
  minute: MICROS_PER_MINUTE,
  hour: MICROS_PER_HOUR,
  day: MICROS_PER_DAY,
};

const SHORT_NAME: Record<BarUnit, string> = {
  second: 's',
  minute: 'm',
  hour: 'h',
  day: 'd',
  tick: 'tick',
  volume: 'volume',
  value: 'value',
};

export const BarSpec = {
  of(step: number, unit: BarUnit, source: PriceSource = PriceSource.Last): BarSpec {
    if (!(step > 0) || !Number.isFinite(step)) throw new ParseError(`bar step must be positive: ${step}`, 'step');
    if (!Object.values(BarUnit).includes(unit)) throw new ParseError(`unknown bar unit: ${JSON.stringify(unit)}`, 'unit');
    if (!Object.values(PriceSource).includes(source)) throw new ParseError(`unknown price source: ${JSON.stringify(source)}`, 'source');
    const micros = UNIT_MICROS[unit];
    if ((micros !== undefined || unit === BarUnit.Tick) && !Number.isSafeInteger(step)) {
      throw new ParseError(`${unit} bar step must be an integer: ${step}`, 'step');
    }
    if (micros !== undefined && !Number.isSafeInteger(step * micros)) {
      throw new ParseError(`time bar step too long: ${step} ${unit}`, 'step');
    }
    return Object.freeze({ step, unit, source });
  },

  /**
   * Parses `1m`, `15s`, `4h`, `1d`, `100tick`, `1000volume`, `5e6value`, optionally followed by
   * `-last|-bid|-ask|-mid`; also the long form `1-minute-last` (NautilusTrader's `1-MINUTE-LAST`).
   */
  parse(s: string): BarSpec {
    const text = s.trim().toLowerCase();
    const long = /^(\d+(?:\.\d+)?(?:e\d+)?)-(second|minute|hour|day|tick|volume|value)(?:-(last|bid|ask|mid))?$/.exec(text);
    if (long) return BarSpec.of(Number(long[1]), long[2] as BarUnit, (long[3] ?? 'last') as PriceSource);
    const short = /^(\d+(?:\.\d+)?(?:e\d+)?)([a-z]+)(?:-(last|bid|ask|mid))?$/.exec(text);
    const unit = short ? SHORT_UNITS[short[2]] : undefined;
    if (!short || unit === undefined) {
      throw new ParseError(`not a bar spec (e.g. 1m, 15s, 4h, 1d, 100tick, 1000volume, 1-minute-last): ${JSON.stringify(s)}`, 'spec');
    }
    return BarSpec.of(Number(short[1]), unit, (short[3] ?? 'last') as PriceSource);
  },

  /** Length of a time bar in microseconds, or undefined for tick, volume and value bars. */
  durationMicros(spec: BarSpec): number | undefined {
    const u = UNIT_MICROS[spec.unit];
    return u === undefined ? undefined : u * spec.step;
  },

  isTimeBased(spec: BarSpec): boolean {
    return UNIT_MICROS[spec.unit] !== undefined;
  },

  /** Short canonical form: `1m`, `4h`, `100tick`, with `-bid|-ask|-mid` when not priced from trades. */
  toString(spec: BarSpec): string {
    return `${spec.step}${SHORT_NAME[spec.unit]}${spec.source === 'last' ? '' : `-${spec.source}`}`;
  },

  equals(a: BarSpec, b: BarSpec): boolean {
    return a.step === b.step && a.unit === b.unit && a.source === b.source;
  },
} as const;
