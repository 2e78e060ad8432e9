import { fatalError } from '@meterline/stream';
import type { ColumnDefinition, ColumnType } from './column';

/** A column as the warehouse's catalog describes it. */
export interface ExistingColumn {
  readonly name: string;
  /** The backend's type name, as its catalog spells it (`VARCHAR`, `TIMESTAMP`, ...). */
  readonly sqlType: string;
  readonly nullable: boolean;
}

/** The changes that keep a table loadable without rewriting it or stopping its readers. */
export type SchemaChange =
  | { readonly kind: 'add-column'; readonly column: ColumnDefinition }
  | { readonly kind: 'drop-not-null'; readonly column: ColumnDefinition };

/**
 * What it takes to load rows of `wanted` columns into a table that has `existing` ones, or a fatal error listing
 * every column that cannot be reconciled (so one deployment attempt shows all of them). Changes are only additive:
 * - a new field becomes a nullable column, filled for existing rows with the field's Avro default; a new required
 *   field without a default is refused (no value exists for the rows already loaded);
 * - a field that became optional drops the column's NOT NULL;
 * - a removed field keeps its column if it is nullable (new rows get null) and is refused if it is required;
 * - a changed type is refused: rewriting a column is a migration, not an evolution.
 * Columns the table has but no longer needs stay untouched; nothing is ever dropped.
 */
export function planEvolution(
  table: string,
  wanted: readonly ColumnDefinition[],
  existing: readonly ExistingColumn[],
  sqlType: (type: ColumnType) => string,
): readonly SchemaChange[] {
  const byName = new Map(existing.map((c) => [c.name, c]));
  const changes: SchemaChange[] = [];
  const problems: string[] = [];
  const refused: string[] = [];
  const refuse = (column: string, problem: string) => {
    refused.push(column);
    problems.push(`column "${column}": ${problem}`);
  };

  for (const column of wanted) {
    const current = byName.get(column.name);
    const type = sqlType(column.type);
    if (current === undefined) {
      if (column.origin !== 'field') refuse(column.name, 'the table lacks this column the warehouse maintains');
      else if (!column.nullable && column.default === undefined) {
        refuse(column.name, `new required field (${type}) without a default: rows already loaded have no value`);
      } else changes.push({ kind: 'add-column', column });
      continue;
    }
    if (current.sqlType.toUpperCase() !== type.toUpperCase()) {
      refuse(column.name, `the table has ${current.sqlType}, the schema needs ${type}`);
    } else if (column.nullable && !current.nullable) {
      changes.push({ kind: 'drop-not-null', column });
    }
  }
  const wantedNames = new Set(wanted.map((c) => c.name));
  for (const current of existing) {
    if (!wantedNames.has(current.name) && !current.nullable) {
      refuse(current.name, 'required in the table, but the schema no longer has this field: new rows would violate NOT NULL');
    }
  }

  if (problems.length > 0) {
    throw fatalError('WAREHOUSE_SCHEMA_INCOMPATIBLE', `${table}: incompatible schema change; ${problems.join('; ')}`, {
      details: { table, columns: refused.join(',') },
    });
  }
  return changes;
}
