import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { fatalError, isMeterlineError } from '@meterline/stream';
import type { CsvOptions } from './csv-options';
import { CsvRows } from './csv-rows';
import { detectFormat, type Detected } from './detect-format';
import { DEFAULT_MAX_LINE_LENGTH } from './line-splitter';
import { NdjsonRows } from './ndjson-rows';
import { openParquet } from './parquet-rows';
import type { SourceRow } from './source-row';
import { textRows } from './text-rows';

export type FileFormat = 'parquet' | 'csv' | 'ndjson';

export interface OpenOptions {
  /** Layout of CSV content (ignored for Parquet and NDJSON, which name their own columns). */
  readonly csv?: CsvOptions;
  /** Longest line or quoted CSV record read whole; longer ones become rows with a problem. */
  readonly maxLineLength?: number;
}

/** How far reading has come: bytes of the file on disk for text (compressed bytes for gzip), rows for Parquet. */
export interface ReadProgress {
  readonly unit: 'bytes' | 'rows';
  readonly done: number;
  readonly total: number;
}

export interface OpenedFile {
  readonly file: string;
  readonly format: FileFormat;
  /** Whether the content was gzip-compressed (whatever the file is called). */
  readonly gzip: boolean;
  /** Column names once known: at once for Parquet and CSV with explicit names, after the first batch for a CSV header. */
  columns(): readonly string[] | undefined;
  /** The rows, in file order, a batch at a time. Either this or `rows()` may be iterated, once. */
  batches(): AsyncIterable<readonly SourceRow[]>;
  rows(): AsyncIterable<SourceRow>;
  progress(): ReadProgress;
}

/** Read size for files on disk, and the chunk size of gunzip's output (zlib's default of 16 KiB costs more calls). */
const READ_CHUNK_BYTES = 256 * 1024;
const GUNZIP_CHUNK_BYTES = 64 * 1024;
/** Enough decoded bytes to get past blank lines and a byte-order mark to the first character. */
const SNIFF_BYTES = 64 * 1024;
/** A `.csv.gz.gz` happens; deeper nesting is a mistake worth reporting rather than following. */
const MAX_GZIP_LAYERS = 2;

/**
 * Opens a data file, recognising its format by content: Parquet, or CSV / NDJSON, either possibly gzip-compressed.
 * Nothing is read beyond a short prefix (and Parquet's footer) until the rows are iterated.
 */
export async function openFile(file: string, options: OpenOptions = {}): Promise<OpenedFile> {
  const { detected, layers } = await sniff(file);
  if (detected.kind === 'unsupported') {
    throw fatalError('REPLAY_UNSUPPORTED_FORMAT', `${file}: ${detected.what} files are not supported (Parquet, CSV or NDJSON, plain or gzip)`);
  }
  if (detected.kind === 'parquet') {
    if (layers > 0) {
      throw fatalError('REPLAY_UNSUPPORTED_FORMAT', `${file}: gzip-compressed Parquet cannot be streamed (Parquet is read from its footer); gunzip it first`);
    }
    return openParquetFile(file);
  }
  const maxLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const csv = detected.kind === 'csv' ? new CsvRows(file, options.csv ?? {}, maxLength) : undefined;
  const handler = csv ?? new NdjsonRows(file);
  const { size } = await stat(file);
  let input: { bytesRead: number } = { bytesRead: 0 };
  const batches = async function* () {
    const streams = openStreams(file, layers);
    input = streams.input;
    yield* textRows(withFileErrors(file, streams.output), handler, maxLength);
  };
  return fileOf({
    file,
    format: detected.kind === 'csv' ? 'csv' : 'ndjson',
    gzip: layers > 0,
    columns: () => csv?.columns,
    batches,
    progress: () => ({ unit: 'bytes', done: input.bytesRead, total: size }),
  });
}

async function openParquetFile(file: string): Promise<OpenedFile> {
  const parquet = await openParquet(file).catch((err: unknown) => {
    throw fileError(file, err);
  });
  let done = 0;
  return fileOf({
    file,
    format: 'parquet',
    gzip: false,
    columns: () => parquet.columns,
    batches: () => withFileErrors(file, parquet.batches((count) => (done += count))),
    progress: () => ({ unit: 'rows', done, total: parquet.totalRows }),
  });
}

type FileParts = Omit<OpenedFile, 'rows' | 'batches'> & { batches(): AsyncIterable<SourceRow[]> };

/** Guards the single pass over the input and derives `rows()` from the batches. */
function fileOf(parts: FileParts): OpenedFile {
  let consumed = false;
  const batches = () => {
    if (consumed) throw fatalError('REPLAY_READ_TWICE', `${parts.file}: the rows of an opened file can be read once; open it again`);
    consumed = true;
    return parts.batches();
  };
  return {
    ...parts,
    batches,
    rows: async function* () {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/** The file's bytes with `layers` gzip layers removed, streamed; `input` counts what was read from disk. */
function openStreams(file: string, layers: number): { input: { bytesRead: number }; output: Readable } {
  const input = createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  if (layers === 0) return { input, output: input };
  const gunzips = Array.from({ length: layers }, () => createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }));
  // Errors surface through iterating the last stream; pipeline destroys every stage when one fails or the reader stops.
  pipeline([input, ...gunzips], () => undefined);
  return { input, output: gunzips[gunzips.length - 1] as Readable };
}

async function sniff(file: string): Promise<{ detected: Detected; layers: number }> {
  for (let layers = 0; ; layers++) {
    const { prefix, complete } = await readPrefix(file, layers).catch((err: unknown) => {
      throw fileError(file, err);
    });
    const detected = detectFormat(prefix, complete);
    if (detected.kind === 'undecided') return { detected: { kind: 'csv' }, layers };
    if (detected.kind !== 'gzip') return { detected, layers };
    if (layers === MAX_GZIP_LAYERS) {
      throw fatalError('REPLAY_UNSUPPORTED_FORMAT', `${file}: more than ${MAX_GZIP_LAYERS} nested gzip layers`);
    }
  }
}

async function readPrefix(file: string, layers: number): Promise<{ prefix: Uint8Array; complete: boolean }> {
  if (layers === 0) {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
      return { prefix: buffer.subarray(0, bytesRead), complete: bytesRead < SNIFF_BYTES };
    } finally {
      await handle.close();
    }
  }
  const { output } = openStreams(file, layers);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of output as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= SNIFF_BYTES) break; // leaving the loop destroys the streams
  }
  return { prefix: Buffer.concat(chunks), complete: length < SNIFF_BYTES };
}

async function* withFileErrors<T>(file: string, source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  try {
    yield* source;
  } catch (err) {
    throw fileError(file, err);
  }
}

/** A file that cannot be read (missing, a directory, no permission) or whose content is broken (truncated gzip). */
function fileError(file: string, err: unknown) {
  if (isMeterlineError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  // Failed system calls (ENOENT, EISDIR, EACCES) carry `syscall`; zlib and Parquet decoding errors do not.
  const unreadable = typeof (err as { syscall?: unknown }).syscall === 'string';
  return fatalError(unreadable ? 'REPLAY_FILE_UNREADABLE' : 'REPLAY_FILE_CORRUPT', `${file}: ${message}`, { cause: err });
}
