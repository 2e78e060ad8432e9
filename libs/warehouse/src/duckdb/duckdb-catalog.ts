import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnDefinition } from '../model/column';
import { type ExistingColumn, planEvolution, type SchemaChange } from '../model/evolution';
import { OFFSETS_COLUMNS, OFFSETS_PRIMARY_KEY, OFFSETS_TABLE } from '../model/tables';
import { columnSql, duckDbType, quote } from './duckdb-types';

/** A table as DDL needs it: the load tables of the model and the offsets table. */
export interface TableShape {
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  /** Extra table constraints. */
  readonly checks?: readonly string[];
}

export const offsetsShape: TableShape = {
  name: OFFSETS_TABLE,
  columns: OFFSETS_COLUMNS,
  primaryKey: OFFSETS_PRIMARY_KEY,
  checks: [`CHECK (${quote('next_offset')} >= 0)`],
};

export function createTableSql(shape: TableShape): string {
  const parts = shape.columns.map((column) => columnSql(column));
  if (shape.primaryKey.length > 0) parts.push(`PRIMARY KEY (${shape.primaryKey.map(quote).join(', ')})`);
  parts.push(...(shape.checks ?? []));
  return `CREATE TABLE ${quote(shape.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

export function changeSql(table: string, change: SchemaChange): string {
  const target = `ALTER TABLE ${quote(table)}`;
  return change.kind === 'add-column'
    ? `${target} ADD COLUMN ${columnSql(change.column, { forAdd: true })}`
    : `${target} ALTER COLUMN ${quote(change.column.name)} DROP NOT NULL`;
}

/** The table's columns in the main schema of the open database; empty when the table does not exist. */
export async function existingColumns(connection: DuckDBConnection, table: string): Promise<ExistingColumn[]> {
  const reader = await connection.runAndReadAll(
    `SELECT column_name, data_type, is_nullable FROM duckdb_columns()
      WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table
      ORDER BY column_index`,
    { table },
  );
  return reader.getRows().map(([name, sqlType, nullable]) => ({
    name: String(name),
    sqlType: String(sqlType),
    nullable: nullable === true,
  }));
}

/** The statements that bring one table to its shape: a CREATE when missing, else the additive changes (or a refusal). */
export async function tableStatements(
  connection: DuckDBConnection,
  shape: TableShape,
): Promise<{ readonly statements: string[]; readonly changes: readonly SchemaChange[] }> {
  const existing = await existingColumns(connection, shape.name);
  if (existing.length === 0) return { statements: [createTableSql(shape)], changes: [] };
  const changes = planEvolution(shape.name, shape.columns, existing, duckDbType);
  return { statements: changes.map((change) => changeSql(shape.name, change)), changes };
}
