/**
 * Where a row sits in its file, written as `source.file` / `source.line` / `source.row` DLQ headers. Text files count
 * physical lines from 1 (as editors and `sed -n 12p` do; a quoted field spanning lines is at its first line); Parquet
 * counts rows from 0 (as hyparquet's `rowStart` does, so the row can be read back on its own).
 */
export type RowPosition = { readonly file: string; readonly line: string } | { readonly file: string; readonly row: string };

/**
 * Why a row could not be read into values. The codes are the ones the HTTP source uses for the same faults, so
 * `records_rejected_total{reason}` means the same thing whatever the source.
 */
export const RowProblemCode = {
  badJson: 'VALIDATION_BAD_JSON',
  notAnObject: 'VALIDATION_WRONG_TYPE',
  columnCount: 'VALIDATION_COLUMN_COUNT',
  unterminatedQuote: 'VALIDATION_BAD_CSV',
  tooLong: 'VALIDATION_TOO_LONG',
} as const;
export type RowProblemCode = (typeof RowProblemCode)[keyof typeof RowProblemCode];

export interface RowProblem {
  readonly code: RowProblemCode;
  readonly message: string;
}

/**
 * One record as read, before any mapping: values by column name (strings from CSV, JSON values from NDJSON, typed
 * values from Parquet). A row with a `problem` is still handed on, so that it reaches the DLQ instead of vanishing.
 */
export interface SourceRow {
  readonly values: Readonly<Record<string, unknown>>;
  readonly position: RowPosition;
  /** The record as it was read (a CSV record without its line break, an NDJSON line, a Parquet row as JSON). */
  readonly original: string;
  readonly problem?: RowProblem;
}

/** An unreadable row: no values, the reason, and the text as far as it was read. */
export const problemRow = (position: RowPosition, original: string, code: RowProblemCode, message: string): SourceRow => ({
  values: {},
  position,
  original,
  problem: { code, message },
});
