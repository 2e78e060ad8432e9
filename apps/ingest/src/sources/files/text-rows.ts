import { LineSplitter } from './line-splitter';
import type { SourceRow } from './source-row';

/** Turns the lines of one text format into rows. `number` counts physical lines from 1. */
export interface LineHandler {
  line(text: string, number: number, tooLong: boolean, out: SourceRow[]): void;
  end(out: SourceRow[]): void;
}

/**
 * Rows of a text file, a batch per chunk of input. Batches keep the per-row cost synchronous: an async iterator step
 * per row would cost more than parsing the row. UTF-8 is decoded across chunk boundaries and a byte-order mark at
 * the start is dropped (spreadsheet exports write one).
 */
export async function* textRows(
  chunks: AsyncIterable<Uint8Array>,
  handler: LineHandler,
  maxLength: number,
): AsyncGenerator<SourceRow[], void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const splitter = new LineSplitter(maxLength);
  let number = 0;
  let out: SourceRow[] = [];
  const emit = (text: string, tooLong: boolean) => handler.line(text, ++number, tooLong, out);
  for await (const chunk of chunks) {
    splitter.push(decoder.decode(chunk, { stream: true }), emit);
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  splitter.push(decoder.decode(), emit);
  splitter.end(emit);
  handler.end(out);
  if (out.length > 0) yield out;
}
