import type { AvroJson } from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import { type ColumnDefinition, type ColumnType, isMapType } from '../model/column';
import { canonicalJson, isPlainObject, typeProblem } from '../model/values';

/**
 * The one mapping of column types to Snowflake types.
 * - int → NUMBER(10,0), long → NUMBER(19,0): Snowflake's INTEGER is NUMBER(38,0) for both; the precisions keep them
 *   apart in the catalog, so an int field becoming a long is seen as the type change it is (as DuckDB's INTEGER and
 *   BIGINT are), and a long always fits.
 * - float, double → FLOAT: Snowflake has one floating type, a 64-bit double, whatever it is called. A float field
 *   becoming a double therefore changes nothing here, where DuckDB refuses it; no value is lost either way.
 * - timestamp → TIMESTAMP_NTZ(3): milliseconds without a zone, UTC by convention, as DuckDB's TIMESTAMP.
 * - map<...> → VARIANT holding the JSON object (`labels:cluster` reads an entry). OBJECT would be narrower, but
 *   VARIANT is what the catalog reports for both in the fake the tests run against, and nothing here needs the
 *   difference.
 */
export function snowflakeType(type: ColumnType): string {
  if (isMapType(type)) return 'VARIANT';
  switch (type) {
    case 'string':
      return 'VARCHAR';
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'NUMBER(10,0)';
    case 'long':
      return 'NUMBER(19,0)';
    case 'float':
    case 'double':
      return 'FLOAT';
    case 'timestamp':
      return 'TIMESTAMP_NTZ(3)';
  }
}

/**
 * A column's type as information_schema.columns spells it (`data_type`, with precision and scale for NUMBER), in the
 * form `catalogType` gives for the model's types: the two are compared to plan an evolution.
 */
export function catalogTypeOf(dataType: string, precision: number | null, scale: number | null): string {
  const type = dataType.toUpperCase();
  return type === 'NUMBER' ? `NUMBER(${precision ?? 38},${scale ?? 0})` : type;
}

/** How the catalog reports a column created as `snowflakeType(type)`: VARCHAR as TEXT, timestamps without precision. */
export function catalogType(type: ColumnType): string {
  const sql = snowflakeType(type);
  if (sql === 'VARCHAR') return 'TEXT';
  return sql.startsWith('TIMESTAMP_NTZ') ? 'TIMESTAMP_NTZ' : sql;
}

/**
 * A quoted identifier, upper-cased: Snowflake stores unquoted names upper-case, so `select node_id from
 * fact_node_metric` finds these columns, while the quotes keep names such as `partition`, `count` or `min` from being
 * read as keywords.
 */
export const quote = (identifier: string) => `"${identifier.toUpperCase().replaceAll('"', '""')}"`;

export const stringLiteral = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/**
 * The SQL constant of an Avro default, for ALTER TABLE ... ADD COLUMN ... DEFAULT (which fills the rows already there)
 * or, for a map, the expression an UPDATE sets (Snowflake takes only constants as a column DEFAULT).
 */
export function defaultLiteral(column: ColumnDefinition, value: AvroJson): string {
  const problem = typeProblem(column.type, value);
  if (problem !== undefined) {
    throw fatalError('WAREHOUSE_SCHEMA_UNSUPPORTED', `the default of "${column.name}" does not fit: ${problem}`, {
      details: { column: column.name },
    });
  }
  if (isMapType(column.type) && isPlainObject(value)) return `PARSE_JSON(${stringLiteral(canonicalJson(value))})`;
  if (column.type === 'timestamp') return stringLiteral(new Date(Number(value)).toISOString().replace('T', ' ').replace('Z', ''));
  if (typeof value === 'string') return stringLiteral(value);
  return String(value);
}

/** The column's definition in CREATE TABLE: type and NOT NULL. Rows always arrive with every column filled. */
export const columnSql = (column: ColumnDefinition): string =>
  [quote(column.name), snowflakeType(column.type), ...(column.nullable ? [] : ['NOT NULL'])].join(' ');
