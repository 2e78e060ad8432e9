import { DuckDBInstance } from '@duckdb/node-api';
import { rows, writeInputs } from '../../test-support/sql';
import { tempDirectory } from '../../test-support/temp-database';
import type { SourceRecord } from '../../warehouse';

/**
 * Reference answers computed by DuckDB's own JSON reader over the inputs written as NDJSON: nothing of the Snowflake
 * backend (nor of the fake it is tested against) is involved. Maps come out as canonical JSON text (keys sorted), times
 * as epoch milliseconds, as the fixture's SqlSession gives the loaded tables. DuckDB renders BIGINTs as strings in
 * JSON rows: queries cast longs to DOUBLE (exact below 2^53) to compare as numbers.
 */
export async function reference(records: readonly SourceRecord<object>[], columns: string, query: (input: string) => string): Promise<Record<string, unknown>[]> {
  const dir = tempDirectory();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const file = writeInputs(dir.path('inputs.ndjson'), records);
    const input = `(SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = ${columns}))`;
    return await rows(connection, query(input));
  } finally {
    connection.closeSync();
    instance.closeSync();
    dir.remove();
  }
}

/** A map column of the input as canonical JSON text: its entries sorted by key, rebuilt as a JSON object. */
export const mapAsJson = (column: string) =>
  `CASE WHEN ${column} IS NULL THEN NULL ELSE CAST(to_json(map_from_entries(list_sort(map_entries(${column})))) AS VARCHAR) END`;
