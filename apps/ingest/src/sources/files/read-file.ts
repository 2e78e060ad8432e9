import { openFile, type OpenOptions } from './open-file';
import type { SourceRow } from './source-row';

/** The rows of one file, whatever its format; `openFile` gives the same plus format, batches and progress. */
export async function* readFile(file: string, options: OpenOptions = {}): AsyncGenerator<SourceRow, void, undefined> {
  yield* (await openFile(file, options)).rows();
}
