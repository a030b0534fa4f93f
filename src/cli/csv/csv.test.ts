import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BarSpec } from '../../core/bar-spec.js';
import { InstrumentId } from '../../core/identifiers.js';
import { Price, Quantity } from '../../core/price.js';
import { UnixMicros } from '../../core/time.js';
import { BadRows, CsvInputError, CsvRowError } from './errors.js';
import { CsvOutput } from './output.js';
import { openCsv, plainDecimalRaw, scanDecimals, splitCsvLine } from './reader.js';
import fc from 'fast-check';
import { parseDecimalRaw } from '../../core/decimal.js';
import type { CsvRow } from './reader.js';
import { BARS_SCHEMA, TRADES_SCHEMA, formatBar, formatMillis, readBarRow } from './formats.js';
import { captureIo, tempDirWith } from './testing/io.js';

async function collect(text: string, skip = false) {
  const dir = tempDirWith({ 'f.csv': text });
  const bad = new BadRows(skip);
  const csv = await openCsv(join(dir, 'f.csv'), 'f.csv', TRADES_SCHEMA, bad);
  const rows = [];
  for await (const r of csv.rows()) rows.push(r);
  return { rows, bad, header: csv.header };
}

describe('CSV reader', () => {
  it('splits quoted cells', () => {
    expect(splitCsvLine('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('1,2')).toEqual(['1', '2']);
  });

  it('maps headers ignoring case, spaces, a BOM and column order, with aliases', async () => {
    const { rows, header } = await collect('\uFEFF Amount ,ID,Timestamp,PRICE\r\n\r\n3,a,1000.5,1.25\r\n');
    expect(header.names).toEqual([' Amount ', 'ID', 'Timestamp', 'PRICE']);
    expect(rows).toHaveLength(1);
    expect(rows[0].line).toBe(3);
    expect(rows[0].timestampMs('timestamp')).toBe(1_000_500);
    expect(rows[0].price('price', 3).toString()).toBe('1.250');
    expect(rows[0].quantity('size', 0).toString()).toBe('3');
    expect(rows[0].text('id')).toBe('a');
    expect(rows[0].has('side')).toBe(false);
    expect(() => rows[0].text('nope')).toThrow(/not in the schema/);
  });

  it('names file, line and column in cell errors', async () => {
    const { rows } = await collect('timestamp,price,size\n-5,,1e999x\n1,1,1.5\n');
    const r = rows[0];
    expect(() => r.timestampMs('timestamp')).toThrow('f.csv: line 2, column 1 (timestamp): negative timestamp: -5');
    expect(() => r.price('price', 2)).toThrow('f.csv: line 2, column 2 (price): empty cell');
    expect(() => r.quantity('size', 2)).toThrow(CsvRowError);
    expect(() => rows[1].quantity('size', 0)).toThrow(/line 3, column 3 \(size\): "1.5" has more than 0 decimal places/);
    expect(() => rows[1].count('size')).toThrow(/not a whole/);
    expect(rows[1].float('size')).toBe(1.5);
  });

  it('reports rows with the wrong number of cells, or skips and counts them', async () => {
    await expect(collect('timestamp,price,size\n1,2\n')).rejects.toThrow('f.csv: line 2, column 3 (size): expected 3 cells, found 2');
    const { rows, bad } = await collect('timestamp,price,size\n1,2\n1,2,3,4\n5,6,7\n', true);
    expect(rows.map((r) => r.line)).toEqual([4]);
    expect(bad.count).toBe(2);
    expect(bad.summary('f.csv')).toMatch(/^skipped 2 bad rows in f.csv:\n {2}f.csv: line 2/);
  });

  it('keeps five examples of skipped rows and counts the rest', () => {
    const bad = new BadRows(true);
    for (let i = 0; i < 7; i++) bad.handle(new CsvRowError({ file: 'x', line: i }, 'bad'));
    expect(bad.summary('x')).toMatch(/and 2 more\n$/);
    expect(new BadRows(true).summary('x')).toBe('');
    expect(() => new BadRows(true).handle(new Error('boom'))).toThrow('boom');
    expect(() => new BadRows(false).handle(new CsvRowError({ file: 'x', line: 1 }, 'bad'))).toThrow(CsvRowError);
  });

  it('points a header-only file at the line after the header', async () => {
    const dir = tempDirWith({ 'f.csv': '\n\nts,price,timestamp,size\n' });
    const csv = await openCsv(join(dir, 'f.csv'), 'f.csv', TRADES_SCHEMA, new BadRows(false));
    expect(csv.headerLine).toBe(3);
    expect(csv.noRows('timestamp').message).toBe('f.csv: line 4, column 3 (timestamp): empty file: a header but no rows');
  });

  it('fails on an empty file, blank lines only, and missing columns', async () => {
    await expect(collect('')).rejects.toThrow(CsvInputError);
    await expect(collect('\n\n')).rejects.toThrow('f.csv: line 3, column 1 (timestamp): empty file');
    await expect(collect('\ntime,price\n')).rejects.toThrow('f.csv: line 2, column 3 (timestamp): missing columns timestamp, size');
  });

  it('scans the largest number of decimals per column', async () => {
    const dir = tempDirWith({ 'f.csv': 'timestamp,price,size\n1,1.5,2\n2,0.125,oops\n3,,1e-4\n4,"2.5",1.0000000000001\n5,7.25,1\n' });
    expect(await scanDecimals(join(dir, 'f.csv'), 'f.csv', TRADES_SCHEMA, ['price', 'size', 'side'])).toEqual({ price: 3, size: 4, side: 0 });
    const plain = tempDirWith({ 'f.csv': 'price,timestamp,size\n1.5,1.123,2\n0.12,2,1.00\n3,3,0.1234567890123\n' });
    expect(await scanDecimals(join(plain, 'f.csv'), 'f.csv', TRADES_SCHEMA, ['price', 'size'])).toEqual({ price: 2, size: 2 });
  });

  it('parses plain decimals like the full parser, and leaves everything else to it', () => {
    const plainArb = fc
      .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^\d{0,9}$/), fc.option(fc.stringMatching(/^\d{0,8}$/)), fc.integer({ min: 0, max: 8 }))
      .map(([sign, int, frac, p]) => [`${sign}${int}${frac === null ? '' : `.${frac}`}`, p] as const);
    fc.assert(
      fc.property(plainArb, ([s, p]) => {
        let expected: number;
        try {
          expected = parseDecimalRaw(s, p);
        } catch {
          expected = Number.NaN;
        }
        const got = plainDecimalRaw(s, p);
        // A number from the fast path is the full parser's; NaN means "ask the full parser", which is always
        // allowed, and is required whenever the full parser rejects the text.
        if (!Number.isNaN(got)) expect(got).toBe(expected);
        if (Number.isNaN(expected)) expect(got).toBeNaN();
      }),
    );
    expect(plainDecimalRaw('0.00141342', 8)).toBe(141342);
    expect(plainDecimalRaw('23.0', 1)).toBe(230);
    expect(plainDecimalRaw('23.10', 1)).toBe(231);
    expect(plainDecimalRaw('-0.5', 2)).toBe(-50);
    expect(plainDecimalRaw('1.05', 1)).toBeNaN();
    expect(plainDecimalRaw('1e3', 0)).toBeNaN();
    expect(plainDecimalRaw(' 1', 0)).toBeNaN();
    expect(plainDecimalRaw('1234567890123456', 0)).toBeNaN();
    expect(plainDecimalRaw('99999999', 9)).toBeNaN();
    expect(plainDecimalRaw('1', 16)).toBeNaN();
  });
});

describe('bar rows', () => {
  it('reads a bar row and checks that high and low bound open and close', async () => {
    const dir = tempDirWith({ 'b.csv': 'date,open,high,low,close,volume\n60000,2,3,1,2.5,10\n0,2,1.5,1,1,1\n0,2,3,2.5,3,1\n' });
    const csv = await openCsv(join(dir, 'b.csv'), 'b.csv', BARS_SCHEMA, new BadRows(false));
    const rows: CsvRow[] = [];
    for await (const r of csv.rows()) rows.push(r);
    expect(readBarRow(rows[0], 1, 0)).toMatchObject({ tsOpen: 60_000_000, trades: 0 });
    expect(readBarRow(rows[0], 1, 0).close.toString()).toBe('2.5');
    expect(() => readBarRow(rows[1], 1, 0)).toThrow(/line 3, column 3 \(high\): high 1.5 is below/);
    expect(() => readBarRow(rows[2], 1, 0)).toThrow(/line 4, column 4 \(low\): low 2.5 is above/);
  });

  it('formats bars with millisecond open times and exact decimals', () => {
    const bar = {
      type: 'bar',
      instrumentId: InstrumentId.parse('A.B'),
      spec: BarSpec.parse('1m'),
      open: Price.parse('1.10'),
      high: Price.parse('1.20'),
      low: Price.parse('1.00'),
      close: Price.parse('1.15'),
      volume: Quantity.parse('0.30'),
      tradeCount: 4,
      tsOpen: UnixMicros.unsafe(1_500),
      tsEvent: UnixMicros.unsafe(60_000_000),
      tsInit: UnixMicros.unsafe(60_000_000),
    } as const;
    expect(formatBar(bar, true)).toBe('1.5,1.10,1.20,1.00,1.15,0.30,4');
    expect(formatBar(bar, false)).toBe('1.5,1.10,1.20,1.00,1.15,0.30');
    expect(formatMillis(60_000_000)).toBe('60000');
    expect(formatMillis(1)).toBe('0.001');
  });
});

describe('CsvOutput', () => {
  it('renames the temporary file into place on commit, in chunks', async () => {
    const dir = tempDirWith({});
    const io = captureIo(dir);
    const out = await CsvOutput.open('o.csv', dir, io.stdout);
    expect(out.target).toBe(join(dir, 'o.csv'));
    const line = 'x'.repeat(1000);
    for (let i = 0; i < 200; i++) await out.line(line);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readdirSync(dir)[0]).toMatch(/^\.o\.csv\.\d+\.[0-9a-f]{8}\.tmp$/);
    await out.commit();
    expect(readdirSync(dir)).toEqual(['o.csv']);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toBe(`${line}\n`.repeat(200));
    await out.abort();
    expect(readdirSync(dir)).toEqual(['o.csv']);
  });

  it('removes the temporary file on abort and leaves an existing target alone', async () => {
    const dir = tempDirWith({ 'o.csv': 'old\n' });
    const out = await CsvOutput.open('o.csv', dir, captureIo(dir).stdout);
    await out.line('new');
    await out.abort();
    expect(readdirSync(dir)).toEqual(['o.csv']);
    expect(readFileSync(join(dir, 'o.csv'), 'utf8')).toBe('old\n');
  });

  it('writes to stdout without a path, and fails to open in a missing directory', async () => {
    const dir = tempDirWith({});
    const io = captureIo(dir);
    const out = await CsvOutput.open(undefined, dir, io.stdout);
    expect(out.target).toBeUndefined();
    await out.line('a');
    await out.commit();
    expect(io.out()).toBe('a\n');
    const dropped = await CsvOutput.open('-', dir, io.stdout);
    await dropped.line('b');
    await dropped.abort();
    expect(io.out()).toBe('a\n');
    await expect(CsvOutput.open('missing/o.csv', dir, io.stdout)).rejects.toThrow(/ENOENT/);
    writeFileSync(join(dir, 'keep'), '');
  });
});
