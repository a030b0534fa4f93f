import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { MAX_PRECISION, parseDecimalRaw } from '../../core/decimal.js';
import { ParseError } from '../../core/errors.js';
import { Price, Quantity, inferPrecision } from '../../core/price.js';
import { BadRows, CsvInputError, CsvRowError } from './errors.js';

/** The columns a command reads: names it needs, names it can use, and other names the same column goes by. */
export interface CsvSchema {
  readonly required: readonly string[];
  readonly optional?: readonly string[];
  /** Header mapping: e.g. `{ size: ['amount', 'qty', 'quantity'] }`. Matching ignores case and spaces. */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
}

/** Splits one CSV line (RFC 4180 quotes, no line breaks inside fields). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Largest digit count that accumulates exactly in a double (10^15 < 2^53). */
const MAX_PLAIN_DIGITS = 15;
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A plain decimal (`123`, `-0.00141342`, `+5.`) as an integer scaled by 10^precision, without a regex, a
 * BigInt or a float: the hot path of reading large CSV files. Returns NaN whenever the text needs the full
 * parser (exponent, spaces, more than 15 digits, non-zero digits beyond the precision, junk), which then
 * either parses it or reports why not.
 */
export function plainDecimalRaw(s: string, precision: number): number {
  const n = s.length;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45) {
    neg = true;
    i = 1;
  } else if (c0 === 43) i = 1;
  let raw = 0;
  let digits = 0;
  let frac = -1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (frac >= 0) {
        if (frac >= precision) {
          if (c !== 48) return Number.NaN;
          continue;
        }
        frac++;
      }
      if (++digits > MAX_PLAIN_DIGITS) return Number.NaN;
      raw = raw * 10 + (c - 48);
    } else if (c === 46 && frac < 0) frac = 0;
    else return Number.NaN;
  }
  if (digits === 0 || precision > 15) return Number.NaN;
  const scaled = raw * POW10[precision - (frac < 0 ? 0 : frac)];
  if (!Number.isSafeInteger(scaled)) return Number.NaN;
  return neg && scaled !== 0 ? -scaled : scaled;
}

/** Column positions after header mapping: schema name -> 0-based index in the file. */
export class CsvHeader {
  constructor(
    readonly file: string,
    /** The header cells as written in the file. */
    readonly names: readonly string[],
    private readonly index: ReadonlyMap<string, number>,
  ) {}

  has(key: string): boolean {
    return this.index.has(key);
  }

  indexOf(key: string): number | undefined {
    return this.index.get(key);
  }
}

function mapHeader(file: string, cells: readonly string[], schema: CsvSchema): CsvHeader {
  const norm = (s: string) => s.trim().toLowerCase();
  const positions = new Map<string, number>();
  cells.forEach((c, i) => {
    if (!positions.has(norm(c))) positions.set(norm(c), i);
  });
  const index = new Map<string, number>();
  for (const key of [...schema.required, ...(schema.optional ?? [])]) {
    for (const name of [key, ...(schema.aliases?.[key] ?? [])]) {
      const at = positions.get(norm(name));
      if (at !== undefined) {
        index.set(key, at);
        break;
      }
    }
  }
  const missing = schema.required.filter((k) => !index.has(k));
  if (missing.length > 0) {
    throw new CsvInputError(
      { file, line: 1, column: missing[0], columnIndex: cells.length + 1 },
      `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header is ${cells.map((c) => c.trim()).join(',')}; expected ${schema.required.join(',')})`,
    );
  }
  return new CsvHeader(file, cells, index);
}

/** One data row; the typed getters throw CsvRowError naming file, line and column. */
export class CsvRow {
  constructor(
    readonly header: CsvHeader,
    readonly line: number,
    readonly cells: readonly string[],
  ) {}

  has(key: string): boolean {
    return this.header.has(key);
  }

  /** The raw text of a mapped column, trimmed. */
  text(key: string): string {
    const i = this.header.indexOf(key);
    if (i === undefined) throw new Error(`column ${key} is not in the schema`);
    return (this.cells[i] ?? '').trim();
  }

  /** Throws a row error about `key`'s cell. */
  fail(key: string, reason: string): never {
    const i = this.header.indexOf(key);
    throw new CsvRowError({ file: this.header.file, line: this.line, column: key, columnIndex: i === undefined ? undefined : i + 1 }, reason);
  }

  private parsed<T>(key: string, parse: (s: string) => T): T {
    const s = this.text(key);
    if (s === '') this.fail(key, 'empty cell');
    try {
      return parse(s);
    } catch (err) {
      if (err instanceof ParseError) this.fail(key, err.message.replace(/^[a-z]+: /, ''));
      throw err;
    }
  }

  /** Epoch milliseconds (up to 3 decimals) to integer microseconds. */
  timestampMs(key: string): number {
    const fast = plainDecimalRaw(this.text(key), 3);
    if (fast >= 0) return fast;
    const micros = this.parsed(key, (s) => parseDecimalRaw(s, 3, key));
    if (micros < 0) this.fail(key, `negative timestamp: ${this.text(key)}`);
    return micros;
  }

  price(key: string, precision: number): Price {
    const fast = plainDecimalRaw(this.text(key), precision);
    if (!Number.isNaN(fast)) return Price.fromRaw(fast, precision);
    return this.parsed(key, (s) => Price.parse(s, precision));
  }

  quantity(key: string, precision: number): Quantity {
    const fast = plainDecimalRaw(this.text(key), precision);
    if (fast >= 0) return Quantity.fromRaw(fast, precision);
    return this.parsed(key, (s) => Quantity.parse(s, precision));
  }

  /** A finite float64 (indicators compute in floats). */
  float(key: string): number {
    return this.parsed(key, (s) => {
      const x = Number(s);
      if (!Number.isFinite(x)) throw new ParseError(`not a number: ${JSON.stringify(s)}`);
      return x;
    });
  }

  /** A non-negative whole number. */
  count(key: string): number {
    return this.parsed(key, (s) => {
      const x = Number(s);
      if (!Number.isSafeInteger(x) || x < 0) throw new ParseError(`not a whole non-negative number: ${JSON.stringify(s)}`);
      return x;
    });
  }
}

export interface OpenCsv {
  readonly header: CsvHeader;
  /** 1-based line of the header. */
  readonly headerLine: number;
  /** The error for a file with a header and no data rows, pointing at the line after the header. */
  noRows(key: string): CsvInputError;
  /** Data rows in file order. Rows with the wrong number of cells go to `badRows`. */
  rows(): AsyncGenerator<CsvRow>;
  /** The non-blank data lines as text (for a quick first pass). Use either this or `rows`, once. */
  lines(): AsyncGenerator<string>;
}

/**
 * Opens a CSV file for streaming: reads the header now, the rows on demand, one line at a time, so a file
 * of any size runs in constant memory. `file` is the path to open, `display` the name used in messages.
 */
export async function openCsv(path: string, display: string, schema: CsvSchema, badRows: BadRows): Promise<OpenCsv> {
  try {
    await access(path);
  } catch (err) {
    throw new CsvInputError({ file: display, line: 0 }, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  let lineNo = 0;
  let first: IteratorResult<string>;
  // Blank lines before the header do not count as a header.
  do {
    first = await it.next();
    lineNo++;
  } while (!first.done && first.value.trim() === '');
  if (first.done) {
    lines.close();
    throw new CsvInputError({ file: display, line: lineNo, column: schema.required[0], columnIndex: 1 }, `empty file (expected a header ${schema.required.join(',')})`);
  }
  const headerCells = splitCsvLine(first.value.replace(/^\uFEFF/, ''));
  let header: CsvHeader;
  try {
    header = mapHeader(display, headerCells, schema);
  } catch (err) {
    lines.close();
    if (err instanceof CsvInputError) throw new CsvInputError({ ...err.place, line: lineNo }, err.reason);
    throw err;
  }
  const headerLine = lineNo;
  async function* rows(): AsyncGenerator<CsvRow> {
    let n = headerLine;
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        n++;
        const text = next.value;
        if (text.trim() === '') continue;
        const cells = splitCsvLine(text);
        if (cells.length !== headerCells.length) {
          try {
            throw new CsvRowError({ file: display, line: n, column: headerCells[Math.min(cells.length, headerCells.length - 1)]?.trim(), columnIndex: Math.min(cells.length, headerCells.length - 1) + 1 }, `expected ${headerCells.length} cells, found ${cells.length}`);
          } catch (err) {
            badRows.handle(err);
            continue;
          }
        }
        yield new CsvRow(header, n, cells);
      }
    } finally {
      lines.close();
    }
  }
  async function* dataLines(): AsyncGenerator<string> {
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        if (next.value.trim() !== '') yield next.value;
      }
    } finally {
      lines.close();
    }
  }
  const noRows = (key: string) =>
    new CsvInputError({ file: display, line: headerLine + 1, column: key, columnIndex: (header.indexOf(key) ?? 0) + 1 }, 'empty file: a header but no rows');
  return { header, headerLine, noRows, rows, lines: dataLines };
}

/**
 * Largest number of decimals in the given columns over the whole file (a first pass), so that output can be
 * printed at the input's own precision. Unparsable cells are ignored here; the real pass reports them.
 */
export async function scanDecimals(path: string, display: string, schema: CsvSchema, keys: readonly string[]): Promise<Record<string, number>> {
  const csv = await openCsv(path, display, schema, new BadRows(true));
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const present = keys.filter((k) => csv.header.has(k));
  // slot[column] = index into `max` of the key read from that column, -1 for other columns.
  const slot = new Int32Array(csv.header.names.length).fill(-1);
  present.forEach((k, j) => (slot[csv.header.indexOf(k)!] = j));
  const max = new Int32Array(present.length);
  const widen = (j: number, cell: string) => {
    try {
      const p = inferPrecision(cell);
      if (p > max[j]) max[j] = p;
    } catch {
      // Reported with its line and column by the pass that parses the rows.
    }
  };
  for await (const line of csv.lines()) {
    if (line.includes('"') || line.includes('e') || line.includes('E')) {
      const cells = splitCsvLine(line);
      for (let c = 0; c < cells.length && c < slot.length; c++) if (slot[c] >= 0 && cells[c].trim() !== '') widen(slot[c], cells[c].trim());
      continue;
    }
    // Plain lines: count the digits after each target cell's '.' in place, without splitting.
    let col = 0;
    let frac = -1;
    for (let i = 0; i <= line.length; i++) {
      const c = i < line.length ? line.charCodeAt(i) : 44;
      if (c === 44) {
        const j = col < slot.length ? slot[col] : -1;
        // More decimals than any Price can hold is left for the parsing pass to report.
        if (j >= 0 && frac > max[j] && frac <= MAX_PRECISION) max[j] = frac;
        col++;
        frac = -1;
      } else if (c === 46) frac = 0;
      else if (frac >= 0 && c >= 48 && c <= 57) frac++;
    }
  }
  present.forEach((k, j) => (out[k] = max[j]));
  return out;
}
