import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseDecimalRaw } from '../../core/decimal.js';
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
    const micros = this.parsed(key, (s) => parseDecimalRaw(s, 3, key));
    if (micros < 0) this.fail(key, `negative timestamp: ${this.text(key)}`);
    return micros;
  }

  price(key: string, precision: number): Price {
    return this.parsed(key, (s) => Price.parse(s, precision));
  }

  quantity(key: string, precision: number): Quantity {
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
  /** Data rows in file order. Rows with the wrong number of cells go to `badRows`. */
  rows(): AsyncGenerator<CsvRow>;
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
  return { header, rows };
}

/**
 * Largest number of decimals in the given columns over the whole file (a first pass), so that output can be
 * printed at the input's own precision. Unparsable cells are ignored here; the real pass reports them.
 */
export async function scanDecimals(path: string, display: string, schema: CsvSchema, keys: readonly string[]): Promise<Record<string, number>> {
  const csv = await openCsv(path, display, schema, new BadRows(true));
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  const present = keys.filter((k) => csv.header.has(k));
  for await (const row of csv.rows()) {
    for (const k of present) {
      const s = row.text(k);
      if (s === '') continue;
      try {
        const p = inferPrecision(s);
        if (p > out[k]) out[k] = p;
      } catch {
        // Reported with its line and column by the pass that parses the rows.
      }
    }
  }
  return out;
}
