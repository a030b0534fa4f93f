import { UsageError } from '../command.js';

/** Where in an input file something went wrong: the file as the user named it, 1-based line, column. */
export interface CsvPlace {
  readonly file: string;
  readonly line: number;
  /** Column name from the header, when the problem is in one cell. */
  readonly column?: string;
  /** 1-based column number, when known. */
  readonly columnIndex?: number;
}

export function formatPlace(p: CsvPlace): string {
  const col = p.column === undefined ? '' : `, column ${p.columnIndex ?? '?'} (${p.column})`;
  return `${p.file}: line ${p.line}${col}`;
}

/**
 * Input the command cannot use at all (missing file or column, empty file): always fatal, exit code 2.
 * It is a UsageError so the command line reports it as bad input.
 */
export class CsvInputError extends UsageError {
  constructor(
    readonly place: CsvPlace,
    readonly reason: string,
  ) {
    super(`${formatPlace(place)}: ${reason}`);
    this.name = 'CsvInputError';
  }
}

/** One bad row (unparsable cell, wrong number of cells, time going backwards): fatal unless --skip-bad. */
export class CsvRowError extends CsvInputError {
  constructor(place: CsvPlace, reason: string) {
    super(place, reason);
    this.name = 'CsvRowError';
  }
}

/**
 * The --skip-bad policy: without it the first bad row ends the run; with it, bad rows are counted and the
 * first few are kept for the summary on stderr.
 */
export class BadRows {
  count = 0;
  readonly examples: string[] = [];

  constructor(readonly skip: boolean) {}

  /** Call from a row's catch block: counts a bad row when skipping, rethrows anything else. */
  handle(err: unknown): void {
    if (!(err instanceof CsvRowError) || !this.skip) throw err;
    this.count += 1;
    if (this.examples.length < 5) this.examples.push(err.message);
  }

  /** One line per kept example and a count, for stderr; empty when nothing was skipped. */
  summary(file: string): string {
    if (this.count === 0) return '';
    const more = this.count > this.examples.length ? `  ... and ${this.count - this.examples.length} more\n` : '';
    return `skipped ${this.count} bad row${this.count === 1 ? '' : 's'} in ${file}:\n${this.examples.map((e) => `  ${e}\n`).join('')}${more}`;
  }
}
