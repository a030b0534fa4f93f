/**
 * Every indicator by its lower-case name (both catalogs), and the parser for indicator specs such as
 * `rsi(14),macd(12,26,9),bbands(20,2),atr(14)` used by `tradewind indicators`, the feature engine and the
 * benchmarks. Column names are `<output>_<params joined by _>` with omitted parameters filled by their defaults
 * (`rsi` -> `rsi_14`, `macd(12,26,9)` -> `macd_12_26_9`, `macd_signal_12_26_9`, `macd_hist_12_26_9`); an
 * indicator without parameters (obv) is named by its output alone.
 */
import { TradewindError } from '../../core/errors.js';
import { priceIndicators } from './catalog-price.js';
import { hlcvIndicators } from './catalog-hlcv.js';
import type { BarIndicator, IndicatorDefinition } from './definition.js';
import type { Ohlcv } from './indicator.js';

/** A spec that does not parse, names an unknown indicator, or gives parameters it does not accept. */
export class IndicatorSpecError extends TradewindError {
  constructor(
    message: string,
    readonly spec: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function byName(defs: readonly IndicatorDefinition[]): ReadonlyMap<string, IndicatorDefinition> {
  const map = new Map<string, IndicatorDefinition>();
  for (const d of defs) {
    // Two catalogs share one namespace: a clash would make a spec mean whichever was registered last.
    if (map.has(d.name)) throw new TradewindError(`indicator name ${d.name} is defined twice`);
    map.set(d.name, d);
  }
  return map;
}

/** All indicator definitions: the price catalog, then the high/low/close/volume catalog. */
export const indicatorDefinitions: readonly IndicatorDefinition[] = [...priceIndicators, ...hlcvIndicators];
const definitions = byName(indicatorDefinitions);

/** The definition named `name` (case-insensitive), or undefined. */
export function findIndicator(name: string): IndicatorDefinition | undefined {
  return definitions.get(name.trim().toLowerCase());
}

/** Column name of one output for resolved parameters: `macd_signal` + [12, 26, 9] -> `macd_signal_12_26_9`. */
export function columnName(output: string, params: readonly number[]): string {
  return params.length === 0 ? output : `${output}_${params.map(formatParam).join('_')}`;
}

function formatParam(x: number): string {
  return String(x);
}

/** One indicator of a parsed spec, with its resolved parameters, its output columns and a fresh instance. */
export interface IndicatorInstance {
  readonly definition: IndicatorDefinition;
  /** Canonical spec with every parameter: `macd(12,26,9)`, `obv`. */
  readonly spec: string;
  readonly params: readonly number[];
  /** One column name per output, in the definition's output order. */
  readonly columns: readonly string[];
  readonly indicator: BarIndicator;
}

interface RawItem {
  readonly name: string;
  readonly values: number[];
  readonly text: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Splits `a(1,2), b ,c()` into items; parentheses must balance and hold comma-separated numbers. */
function splitSpec(spec: string): RawItem[] {
  const items: RawItem[] = [];
  if (spec.trim() === '') throw new IndicatorSpecError('empty indicator spec: give at least one indicator, e.g. "rsi(14)"', spec);
  let i = 0;
  const n = spec.length;
  const fail = (msg: string): never => {
    throw new IndicatorSpecError(`bad indicator spec "${spec}" at character ${i + 1}: ${msg}`, spec);
  };
  while (i < n) {
    while (i < n && /\s/.test(spec[i])) i++;
    const start = i;
    while (i < n && spec[i] !== '(' && spec[i] !== ',') i++;
    const name = spec.slice(start, i).trim();
    if (name === '') fail('expected an indicator name');
    if (!NAME.test(name)) fail(`"${name}" is not an indicator name`);
    const values: number[] = [];
    if (spec[i] === '(') {
      const close = spec.indexOf(')', i);
      if (close < 0) fail(`missing ")" after ${name}(`);
      const inner = spec.slice(i + 1, close);
      if (inner.includes('(')) fail(`unexpected "(" inside ${name}(...)`);
      if (inner.trim() !== '') {
        for (const raw of inner.split(',')) {
          const t = raw.trim();
          if (!NUMBER.test(t)) fail(`parameter "${t}" of ${name} is not a number`);
          values.push(Number(t));
        }
      }
      i = close + 1;
      while (i < n && /\s/.test(spec[i])) i++;
    }
    items.push({ name: name.toLowerCase(), values, text: spec.slice(start, i).trim() });
    if (i < n) {
      if (spec[i] !== ',') fail(`expected "," after ${spec.slice(start, i).trim()}`);
      i++;
      if (spec.slice(i).trim() === '') fail('expected an indicator after ","');
    }
  }
  return items;
}

/**
 * Parses `rsi(14),macd(12,26,9),bbands(20,2)` into fresh indicator instances, in spec order. Parameters may be
 * omitted from the right (defaults fill them); more than an indicator takes, an unknown name, a value the
 * indicator rejects, or two items producing the same column are errors that name the item.
 */
export function parseIndicatorSpec(spec: string): IndicatorInstance[] {
  const seen = new Map<string, string>();
  return splitSpec(spec).map((item) => {
    const definition = definitions.get(item.name);
    if (definition === undefined) {
      throw new IndicatorSpecError(`unknown indicator "${item.name}" in "${item.text}"; known: ${[...definitions.keys()].join(', ')}`, spec);
    }
    const names = definition.params.map(([p]) => p);
    if (item.values.length > names.length) {
      const takes = names.length === 0 ? 'no parameters' : `at most ${names.length} parameter${names.length === 1 ? '' : 's'} (${names.join(', ')})`;
      throw new IndicatorSpecError(`${item.name} takes ${takes}, got ${item.values.length} in "${item.text}"`, spec);
    }
    const params = definition.params.map(([, d], k) => (k < item.values.length ? item.values[k] : d));
    let indicator: BarIndicator;
    try {
      indicator = definition.create(params);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message : String(cause);
      throw new IndicatorSpecError(`invalid parameters in "${item.text}": ${why}`, spec, { cause });
    }
    const columns = definition.outputs.map((o) => columnName(o, params));
    for (const c of columns) {
      const other = seen.get(c);
      if (other !== undefined) throw new IndicatorSpecError(`column ${c} would be produced twice (by "${other}" and "${item.text}")`, spec);
      seen.set(c, item.text);
    }
    return {
      definition,
      spec: params.length === 0 ? definition.name : `${definition.name}(${params.map(formatParam).join(',')})`,
      params,
      columns,
      indicator,
    };
  });
}

/**
 * Runs the indicators of a spec together: one `update(bar)` fills one row of values (NaN while an
 * indicator warms up) in column order, in a reused Float64Array.
 */
export class IndicatorRow {
  readonly columns: readonly string[];
  readonly values: Float64Array;
  private readonly offsets: Int32Array;

  constructor(readonly instances: readonly IndicatorInstance[]) {
    this.columns = instances.flatMap((x) => x.columns);
    this.values = new Float64Array(this.columns.length).fill(Number.NaN);
    this.offsets = new Int32Array(instances.length);
    let o = 0;
    instances.forEach((x, k) => {
      this.offsets[k] = o;
      o += x.columns.length;
    });
  }

  static fromSpec(spec: string): IndicatorRow {
    return new IndicatorRow(parseIndicatorSpec(spec));
  }

  /** Updates every indicator with `bar`; returns the row (the same array each time). */
  update(bar: Ohlcv): Float64Array {
    const xs = this.instances;
    for (let k = 0; k < xs.length; k++) xs[k].indicator.update(bar, this.values, this.offsets[k]);
    return this.values;
  }

  reset(): void {
    for (const x of this.instances) x.indicator.reset();
    this.values.fill(Number.NaN);
  }
}
