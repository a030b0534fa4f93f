/** A row that a loader could not use: where it was and why. Loaders count and return these, never throw on them. */
export interface RowRejection {
  /** 1-based line number in the file (or index + 1 for JSON arrays). */
  readonly line: number;
  readonly reason: string;
}

/** What a loader returns: the events it made and the rows it rejected. */
export interface LoadResult<T> {
  readonly events: T[];
  readonly rejected: RowRejection[];
}
