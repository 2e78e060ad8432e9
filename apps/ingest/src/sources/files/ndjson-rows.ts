import type { LineHandler } from './text-rows';
import { problemRow, RowProblemCode, type SourceRow } from './source-row';

/** One JSON object per line; blank lines are not records. Values keep their JSON types. */
export class NdjsonRows implements LineHandler {
  constructor(private readonly file: string) {}

  line(text: string, number: number, tooLong: boolean, out: SourceRow[]): void {
    const original = text.trim();
    if (original === '') return;
    const position = { file: this.file, line: String(number) };
    if (tooLong) {
      out.push(problemRow(position, original, RowProblemCode.tooLong, `line ${number} is too long to be a record`));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(original);
    } catch (err) {
      out.push(problemRow(position, original, RowProblemCode.badJson, `line ${number} is not valid JSON: ${(err as Error).message}`));
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      out.push(problemRow(position, original, RowProblemCode.notAnObject, `line ${number}: a record must be a JSON object`));
      return;
    }
    out.push({ values: value as Record<string, unknown>, position, original });
  }

  end(): void {
    // Every line is complete on its own.
  }
}
