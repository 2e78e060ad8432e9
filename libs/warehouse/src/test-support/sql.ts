import { writeFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { SourceRecord } from '../warehouse';

/** Rows of a query as JSON-friendly objects (bigints and timestamps as strings), for comparisons. */
export async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

export async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const [row] = (await connection.runAndReadAll(sql)).getRowsJson();
  return row?.[0];
}

/**
 * Writes the records as newline-delimited JSON (lineage fields first, then the value's fields), so reference queries
 * read the inputs with DuckDB's own JSON reader rather than through the code under test.
 */
export function writeInputs(path: string, records: readonly SourceRecord<object>[]): string {
  writeFileSync(
    path,
    records.map((r) => JSON.stringify({ source_topic: r.topic, source_partition: r.partition, source_offset: Number(r.offset), ...r.value })).join('\n'),
  );
  return path;
}
