/** Longest line (or quoted multi-line CSV record) read whole: far above any real record, far below a heap problem. */
export const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

/** How much of an overlong line is kept, so its DLQ record shows what it was without carrying megabytes. */
export const OVERLONG_PREFIX_LENGTH = 1024;

/** Receives each line without its `\n` (a `\r` before it is kept: CSV decides what it means inside quotes). */
export type LineSink = (text: string, tooLong: boolean) => void;

/**
 * Cuts decoded text into lines across chunk boundaries. A line longer than `maxLength` is not accumulated (a file
 * with no line breaks at all would otherwise grow the heap without bound): its first characters are emitted with
 * `tooLong`, the rest is skipped up to the next line break.
 */
export class LineSplitter {
  private pending = '';
  private skipping = false;

  constructor(private readonly maxLength: number = DEFAULT_MAX_LINE_LENGTH) {}

  push(text: string, emit: LineSink): void {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      if (this.skipping) {
        this.skipping = false;
        emit(this.pending, true);
      } else {
        const line = this.pending === '' ? text.slice(start, nl) : this.pending + text.slice(start, nl);
        if (line.length > this.maxLength) emit(line.slice(0, OVERLONG_PREFIX_LENGTH), true);
        else emit(line, false);
      }
      this.pending = '';
      start = nl + 1;
    }
    if (this.skipping || start === text.length) return;
    this.pending += text.slice(start);
    if (this.pending.length > this.maxLength) {
      this.pending = this.pending.slice(0, OVERLONG_PREFIX_LENGTH);
      this.skipping = true;
    }
  }

  /** The last line, when the file does not end with a line break. */
  end(emit: LineSink): void {
    if (this.skipping) emit(this.pending, true);
    else if (this.pending !== '') emit(this.pending, false);
    this.pending = '';
    this.skipping = false;
  }
}
