import { fatalError } from '@meterline/stream';
import type { CsvOptions } from './csv-options';
import { CsvRecordParser, type CsvSink } from './csv-records';
import type { LineHandler } from './text-rows';
import { problemRow, RowProblemCode, type SourceRow } from './source-row';

/**
 * Header names as pandas reads them: trimmed, an empty name becomes its position, and a repeated name gets a `.1`,
 * `.2` suffix, so that every column stays addressable by a mapping.
 */
export function columnNames(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, index) => {
    const name = raw.trim() === '' ? String(index) : raw.trim();
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}.${count}`;
  });
}

/**
 * CSV records to rows of values by column name. Every record must have as many fields as there are columns: a
 * record with more or fewer (an unquoted delimiter in a value, a truncated line) would shift values into the wrong
 * fields, so it becomes a row with a problem rather than a guess.
 */
export class CsvRows implements LineHandler, CsvSink {
  private readonly parser: CsvRecordParser;
  private names: readonly string[] | undefined;
  private headerPending: boolean;
  private out: SourceRow[] = [];

  constructor(
    private readonly file: string,
    options: CsvOptions,
    maxLength: number,
  ) {
    this.parser = new CsvRecordParser(options.delimiter ?? ',', maxLength);
    this.headerPending = options.header ?? true;
    this.names = options.columns;
  }

  /** The column names, once known (after the header, or the first record of a headerless file). */
  get columns(): readonly string[] | undefined {
    return this.names;
  }

  line(text: string, number: number, tooLong: boolean, out: SourceRow[]): void {
    this.out = out;
    this.parser.line(text, number, tooLong, this);
  }

  end(out: SourceRow[]): void {
    this.out = out;
    this.parser.end(this);
  }

  record(fields: string[], line: number, original: string): void {
    if (this.headerPending) {
      this.headerPending = false;
      this.names ??= columnNames(fields);
      return;
    }
    const names = (this.names ??= fields.map((_, index) => String(index)));
    const position = { file: this.file, line: String(line) };
    if (fields.length !== names.length) {
      const message = `expected ${names.length} columns (${names.join(', ')}), got ${fields.length}`;
      this.out.push(problemRow(position, original, RowProblemCode.columnCount, message));
      return;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) values[names[i] as string] = fields[i] as string;
    this.out.push({ values, position, original });
  }

  problem(code: RowProblemCode, message: string, line: number, original: string): void {
    if (this.headerPending) throw fatalError('REPLAY_BAD_HEADER', `${this.file}: the header cannot be read: ${message}`);
    this.out.push(problemRow({ file: this.file, line: String(line) }, original, code, message));
  }
}
