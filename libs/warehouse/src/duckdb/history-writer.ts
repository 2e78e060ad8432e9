import { type DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { fatalError } from '@meterline/stream';
import { type ColumnDefinition, isMapType } from '../model/column';
import { planHistory, type StoredVersion } from '../model/history';
import { closeColumns, historyChanges, historyFingerprint, historyShape, versionColumns } from '../model/history-changes';
import type { NewBatch } from '../model/record-columns';
import type { TableDefinition } from '../model/tables';
import type { KeyedSourceRecord } from '../warehouse';
import { quote } from './duckdb-types';
import { stage } from './staging';
import { dropStage, stageName } from './table-writers';

/** The expression reading a column back in the form comparableText expects. */
function readBack(column: ColumnDefinition): string {
  const ref = quote(column.name);
  if (column.type === 'timestamp') return `epoch_ms(${ref})`;
  if (isMapType(column.type)) return `CAST(${ref} AS VARCHAR)`;
  return ref;
}

async function latestVersions(
  connection: DuckDBConnection,
  table: TableDefinition,
  key: string,
  attributes: readonly ColumnDefinition[],
  keys: readonly string[],
): Promise<Map<string, StoredVersion>> {
  const k = quote(key);
  const reader = await connection.runAndReadAll(
    `SELECT ${k}, epoch_ms(valid_from), epoch_ms(valid_to)${attributes.map((c) => `, ${readBack(c)}`).join('')}
       FROM ${quote(table.name)} WHERE ${k} IN (SELECT unnest($keys))
     QUALIFY row_number() OVER (PARTITION BY ${k} ORDER BY valid_from DESC) = 1`,
    { keys: listValue([...keys]) },
    { keys: LIST(VARCHAR) },
  );
  return new Map(
    reader.getRows().map(([id, validFrom, validTo, ...values]) => [
      String(id),
      {
        validFrom: Number(validFrom),
        validTo: validTo === null ? null : Number(validTo),
        fingerprint: historyFingerprint(attributes, (_, i) => values[i]),
      },
    ]),
  );
}

const internalProblem = (table: TableDefinition, what: string) => (_: unknown, column: ColumnDefinition, problem: string) =>
  fatalError('WAREHOUSE_FAILED', `${table.name} ${what}: ${column.name}: ${problem}`);

/**
 * Dimension history (SCD2): reads the latest stored version of every key in the batch, plans closes and new
 * versions in memory (planHistory), then closes with one UPDATE and inserts with one INSERT, both from staged rows.
 */
export async function writeHistory<R extends KeyedSourceRecord<object>>(
  connection: DuckDBConnection,
  table: TableDefinition,
  batch: NewBatch<R>,
): Promise<void> {
  const shape = historyShape(table);
  const changes = historyChanges(table, shape, batch);
  const keys = [...new Set(changes.map((change) => change.key))];
  const plan = planHistory(await latestVersions(connection, table, shape.key.name, shape.attributes, keys), changes);

  if (plan.closes.length > 0) {
    const closes = await stage(connection, stageName(table, 'closes'), closeColumns(shape), plan.closes, internalProblem(table, 'closes'));
    await connection.run(
      `UPDATE ${quote(table.name)} AS t SET valid_to = c.valid_to FROM (SELECT ${closes.select} FROM ${closes.from}) AS c
        WHERE t.${quote(shape.key.name)} = c.${quote(shape.key.name)} AND t.valid_from = c.valid_from`,
      closes.params,
      closes.paramTypes,
    );
    await dropStage(connection, closes);
  }

  if (plan.inserts.length > 0) {
    const staged = await stage(connection, stageName(table), versionColumns(table, batch, plan.inserts), plan.inserts, internalProblem(table, 'versions'));
    await connection.run(
      `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')}) SELECT ${staged.select} FROM ${staged.from}`,
      staged.params,
      staged.paramTypes,
    );
    await dropStage(connection, staged);
  }
}
