import { RowProblemCode } from './source-row';

/** Receives what the parser makes of the lines: records (fields, first line, text as read) and unreadable ones. */
export interface CsvSink {
  record(fields: string[], line: number, original: string): void;
  problem(code: RowProblemCode, message: string, line: number, original: string): void;
}

const QUOTE = 0x22;
const CR = 0x0d;

/**
 * RFC 4180 records from lines: fields separated by one delimiter character; a field that starts with `"` is quoted
 * and may hold delimiters, line breaks and doubled quotes (`""` is one `"`). Records end with LF or CRLF. Like
 * Python's csv module it is lenient where the RFC is silent: a quote inside an unquoted field is a plain character,
 * and text between a closing quote and the next delimiter is kept. Lines that are empty outside quotes are not
 * records. A quoted field still open after `maxLength` characters, or at the end of the file, is reported as a
 * problem at the line where its record began, instead of swallowing the rest of the file.
 */
export class CsvRecordParser {
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private startLine = 0;
  private originalLines: string[] = [];
  private length = 0;

  constructor(
    private readonly delimiter: string,
    private readonly maxLength: number,
  ) {}

  line(text: string, number: number, tooLong: boolean, out: CsvSink): void {
    if (tooLong) {
      const line = this.inQuotes ? this.startLine : number;
      const original = this.inQuotes ? `${this.originalLines.join('\n')}\n${text}` : text;
      this.reset();
      out.problem(RowProblemCode.tooLong, `line longer than ${this.maxLength} characters`, line, original);
      return;
    }
    const cr = text.charCodeAt(text.length - 1) === CR;
    const line = cr ? text.slice(0, -1) : text;
    if (!this.inQuotes) {
      if (line === '') return;
      // The common case: no quotes at all, so the delimiter alone splits the fields.
      if (line.indexOf('"') === -1) {
        out.record(line.split(this.delimiter), number, line);
        return;
      }
      this.startLine = number;
      this.originalLines = [];
      this.length = 0;
    }
    this.originalLines.push(line);
    this.length += line.length + 1;
    if (this.length > this.maxLength) {
      const original = this.originalLines.join('\n').slice(0, this.maxLength);
      const at = this.startLine;
      this.reset();
      out.problem(RowProblemCode.tooLong, `record longer than ${this.maxLength} characters (a quote never closed?)`, at, original);
      return;
    }
    this.parse(line);
    if (this.inQuotes) {
      // The line break belongs to the quoted field, exactly as it was written.
      this.field += cr ? '\r\n' : '\n';
      return;
    }
    const fields = this.fields;
    const at = this.startLine;
    const original = this.originalLines.join('\n');
    this.reset();
    out.record(fields, at, original);
  }

  end(out: CsvSink): void {
    if (!this.inQuotes) return;
    const original = this.originalLines.join('\n');
    const at = this.startLine;
    this.reset();
    out.problem(RowProblemCode.unterminatedQuote, 'the file ends inside a quoted field', at, original);
  }

  private reset(): void {
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.originalLines = [];
    this.length = 0;
  }

  /** Continues the record in progress with one line; returns with `inQuotes` telling whether the record goes on. */
  private parse(line: string): void {
    let i = 0;
    if (this.inQuotes) {
      i = this.quoted(line, 0);
      if (i < 0) return;
      i = this.rest(line, i);
      if (i < 0) return;
    }
    for (;;) {
      if (line.charCodeAt(i) === QUOTE) {
        this.inQuotes = true;
        i = this.quoted(line, i + 1);
        if (i < 0) return;
        i = this.rest(line, i);
        if (i < 0) return;
      } else {
        const j = line.indexOf(this.delimiter, i);
        if (j === -1) {
          this.fields.push(line.slice(i));
          return;
        }
        this.fields.push(line.slice(i, j));
        i = j + 1;
      }
    }
  }

  /** Inside quotes from `i`: the index after the closing quote, or -1 when the field runs past this line. */
  private quoted(line: string, from: number): number {
    let i = from;
    for (;;) {
      const q = line.indexOf('"', i);
      if (q === -1) {
        this.field += line.slice(i);
        return -1;
      }
      this.field += line.slice(i, q);
      if (line.charCodeAt(q + 1) !== QUOTE) {
        this.inQuotes = false;
        return q + 1;
      }
      this.field += '"';
      i = q + 2;
    }
  }

  /** After a closing quote: ends the field; the index of the next field, or -1 when the record ends here. */
  private rest(line: string, from: number): number {
    const j = line.indexOf(this.delimiter, from);
    this.field += j === -1 ? line.slice(from) : line.slice(from, j);
    this.fields.push(this.field);
    this.field = '';
    return j === -1 ? -1 : j + 1;
  }
}
