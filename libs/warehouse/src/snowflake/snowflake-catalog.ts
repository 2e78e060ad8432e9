import { isMapType, type ColumnDefinition } from '../model/column';
import { type ExistingColumn, planEvolution, type SchemaChange } from '../model/evolution';
import { OFFSETS_COLUMNS, OFFSETS_PRIMARY_KEY, OFFSETS_TABLE } from '../model/tables';
import type { SnowflakeSession } from './snowflake-session';
import { catalogType, catalogTypeOf, columnSql, defaultLiteral, quote, snowflakeType } from './snowflake-types';

/** A table as DDL needs it: the load tables of the model and the offsets table. */
export interface TableShape {
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
}

export const offsetsShape: TableShape = { name: OFFSETS_TABLE, columns: OFFSETS_COLUMNS, primaryKey: OFFSETS_PRIMARY_KEY };

/** Snowflake records primary keys without enforcing them: the writers keep keys unique (MERGE, SCD2 planning). */
export function createTableSql(shape: TableShape): string {
  const parts = shape.columns.map(columnSql);
  if (shape.primaryKey.length > 0) parts.push(`PRIMARY KEY (${shape.primaryKey.map(quote).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${quote(shape.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

/**
 * The statements of one change. An added column is nullable (Snowflake adds NOT NULL columns only to empty tables);
 * a non-null Avro default fills the rows already there, as a column DEFAULT where Snowflake allows one (constants) and
 * by an UPDATE for maps.
 */
export function changeSql(table: string, change: SchemaChange): string[] {
  const target = `ALTER TABLE ${quote(table)}`;
  const column = change.column;
  if (change.kind === 'drop-not-null') return [`${target} ALTER COLUMN ${quote(column.name)} DROP NOT NULL`];
  const value = column.default?.value;
  const add = `${target} ADD COLUMN ${quote(column.name)} ${snowflakeType(column.type)}`;
  if (value === undefined || value === null) return [add];
  if (!isMapType(column.type)) return [`${add} DEFAULT ${defaultLiteral(column, value)}`];
  return [add, `UPDATE ${quote(table)} SET ${quote(column.name)} = ${defaultLiteral(column, value)}`];
}

/** The table's columns in the session's schema, model names matched case-insensitively; empty when it does not exist. */
export async function existingColumns(session: SnowflakeSession, shape: TableShape): Promise<ExistingColumn[]> {
  const rows = await session.query(
    `SELECT column_name, data_type, numeric_precision, numeric_scale, is_nullable FROM information_schema.columns
      WHERE table_schema = CURRENT_SCHEMA() AND table_name = ? ORDER BY ordinal_position`,
    [shape.name.toUpperCase()],
  );
  const byUpper = new Map(shape.columns.map((c) => [c.name.toUpperCase(), c.name]));
  return rows.map((row) => {
    const name = String(row['COLUMN_NAME']);
    return {
      name: byUpper.get(name) ?? name.toLowerCase(),
      sqlType: catalogTypeOf(String(row['DATA_TYPE']), row['NUMERIC_PRECISION'] as number | null, row['NUMERIC_SCALE'] as number | null),
      nullable: row['IS_NULLABLE'] === 'YES',
    };
  });
}

/** The statements that bring one table to its shape: a CREATE when missing, else the additive changes (or a refusal). */
export async function tableStatements(
  session: SnowflakeSession,
  shape: TableShape,
): Promise<{ readonly statements: string[]; readonly changes: readonly SchemaChange[] }> {
  const existing = await existingColumns(session, shape);
  if (existing.length === 0) return { statements: [createTableSql(shape)], changes: [] };
  const changes = planEvolution(shape.name, shape.columns, existing, catalogType);
  return { statements: changes.flatMap((change) => changeSql(shape.name, change)), changes };
}
