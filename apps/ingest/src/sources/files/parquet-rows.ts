import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { SourceRow } from './source-row';

/** Rows handed on per batch; a row group (often 100k-1M rows) is decoded at once but not passed on at once. */
export const PARQUET_BATCH_ROWS = 4096;

export interface ParquetFile {
  readonly columns: readonly string[];
  readonly totalRows: number;
  readonly rowGroups: number;
  /** Batches of rows, reading and decoding one row group at a time; `onRows` counts rows handed on. */
  batches(onRows: (count: number) => void): AsyncGenerator<SourceRow[], void, undefined>;
}

/**
 * Opens a Parquet file through its footer only. Memory is bounded by the largest row group, not the file: each row
 * group is fetched (its column chunks and nothing else) and decoded when the previous one has been handed on.
 */
export async function openParquet(file: string): Promise<ParquetFile> {
  const buffer = await asyncBufferFromFile(file);
  const metadata: FileMetaData = await parquetMetadataAsync(buffer);
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const groupSizes = metadata.row_groups.map((g) => Number(g.num_rows));
  return {
    columns,
    totalRows: Number(metadata.num_rows),
    rowGroups: groupSizes.length,
    async *batches(onRows) {
      let groupStart = 0;
      for (const size of groupSizes) {
        const rowEnd = groupStart + size;
        const objects = await parquetReadObjects({ file: buffer, metadata, rowStart: groupStart, rowEnd, compressors });
        for (let i = 0; i < objects.length; i += PARQUET_BATCH_ROWS) {
          const batch = objects.slice(i, i + PARQUET_BATCH_ROWS).map((o, k) => toRow(file, groupStart + i + k, o));
          onRows(batch.length);
          yield batch;
        }
        groupStart = rowEnd;
      }
    },
  };
}

function toRow(file: string, index: number, object: Record<string, unknown>): SourceRow {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(object)) values[key] = plain(object[key]);
  return { values, position: { file, row: String(index) }, original: JSON.stringify(values) };
}

/**
 * Parquet's INT64 and timestamps arrive as bigint and Date, which JSON and validation do not take: a safe integer
 * becomes a number and a larger one its exact decimal text; a Date becomes ISO-8601 text, which event-time parsing
 * reads back to the same millisecond.
 */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  return value;
}
