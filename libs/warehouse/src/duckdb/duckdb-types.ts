import type { AvroJson } from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import { type ColumnDefinition, type ColumnType, isMapType } from '../model/column';
import { canonicalJson, isPlainObject, typeProblem } from '../model/values';

/**
 * The one mapping of column types to DuckDB types.
 * - timestamp → TIMESTAMP (microseconds, no zone; values are UTC by convention). Epoch milliseconds fit it exactly,
 *   and TIMESTAMP is the type every DuckDB date function, `time_bucket` and the Parquet/CSV readers of the
 *   reference queries produce, so comparisons need no casts. TIMESTAMP_MS would save nothing (both are 8 bytes) and
 *   be cast back to TIMESTAMP by most functions; TIMESTAMPTZ would render in the session's time zone.
 * - map<...> → JSON (text, canonical: keys sorted). A DuckDB MAP is a list of structs per row: appending one costs
 *   a value object per entry and inserting them measured 2-3× slower than the same rows with JSON here, enough to
 *   miss the load-rate target; Snowflake's counterpart is an OBJECT/VARIANT, i.e. JSON too, so queries
 *   (`labels->>'cluster'` here, `labels:cluster` there) stay alike. Map<long> values stay exact as JSON numbers.
 */
export function duckDbType(type: ColumnType): string {
  if (isMapType(type)) return 'JSON';
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'INTEGER';
    case 'long':
      return 'BIGINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'timestamp':
      return 'TIMESTAMP';
  }
}

/** A quoted identifier: column names such as `partition`, `count` or `min` are keywords or function names. */
export const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export const stringLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The SQL literal of an Avro default for a column of this type, as ALTER TABLE ... ADD COLUMN ... DEFAULT takes it. */
export function defaultLiteral(column: ColumnDefinition, value: AvroJson): string {
  const problem = typeProblem(column.type, value);
  if (problem !== undefined) {
    throw fatalError('WAREHOUSE_SCHEMA_UNSUPPORTED', `the default of "${column.name}" does not fit: ${problem}`, {
      details: { column: column.name },
    });
  }
  if (isMapType(column.type) && isPlainObject(value)) return `${stringLiteral(canonicalJson(value))}::JSON`;
  if (column.type === 'timestamp') return `epoch_ms(CAST(${String(value)} AS BIGINT))`;
  if (typeof value === 'string') return stringLiteral(value);
  return `CAST(${String(value)} AS ${duckDbType(column.type)})`;
}

/** The column's definition in CREATE TABLE / ADD COLUMN: type, DEFAULT for non-null defaults, NOT NULL. */
export function columnSql(column: ColumnDefinition, options: { readonly forAdd?: boolean } = {}): string {
  const parts = [quote(column.name), duckDbType(column.type)];
  const value = column.default?.value;
  if (value !== undefined && value !== null) parts.push(`DEFAULT ${defaultLiteral(column, value)}`);
  // DuckDB cannot add a NOT NULL column to an existing table; added columns stay nullable (see planEvolution).
  if (!column.nullable && options.forAdd !== true) parts.push('NOT NULL');
  return parts.join(' ');
}
