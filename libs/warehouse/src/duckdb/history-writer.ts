import { type DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { fatalError } from '@meterline/stream';
import { type ColumnDefinition, isMapType } from '../model/column';
import { type HistoryChange, type HistoryPlan, planHistory, type StoredVersion } from '../model/history';
import { recordProblem } from '../model/poison';
import { columnOf, type TableDefinition, VALID_FROM_COLUMN, VALID_TO_COLUMN } from '../model/tables';
import { comparableText, fieldValue } from '../model/values';
import type { KeyedSourceRecord } from '../warehouse';
import { quote } from './duckdb-types';
import { stage, type StagedColumn } from './staging';
import { dropStage, type NewBatch, recordColumns, stageName } from './table-writers';

type Close = HistoryPlan<unknown>['closes'][number];
type Insert<R> = HistoryPlan<R>['inserts'][number];

const fingerprint = (attributes: readonly ColumnDefinition[], valueOf: (column: ColumnDefinition, i: number) => unknown) =>
  JSON.stringify(attributes.map((column, i) => comparableText(column.type, valueOf(column, i))));

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
        fingerprint: fingerprint(attributes, (_, i) => values[i]),
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
  if (table.write.kind !== 'history') throw fatalError('WAREHOUSE_MODEL_INVALID', `${table.name} is not a history table`);
  for (const record of batch.records) {
    const problem = recordProblem(table, record);
    if (problem !== undefined) throw problem;
  }
  const keyColumn = columnOf(table, table.write.key);
  const validFromColumn = columnOf(table, table.write.validFrom);
  // What a version is made of: every field except the time its validity starts from.
  const attributes = table.columns.filter((c) => c.origin === 'field' && c !== validFromColumn);

  const changes = batch.records.map((record): HistoryChange<R> => {
    const value = record.value;
    if (value === null) return { kind: 'tombstone', key: String(record.key), at: record.timestamp };
    return {
      kind: 'update',
      key: String(fieldValue(keyColumn, value)),
      validFrom: Number(fieldValue(validFromColumn, value)),
      fingerprint: fingerprint(attributes, (column) => fieldValue(column, value)),
      record,
    };
  });
  const keys = [...new Set(changes.map((change) => change.key))];
  const plan = planHistory(await latestVersions(connection, table, table.write.key, attributes, keys), changes);

  if (plan.closes.length > 0) {
    const closeColumns: StagedColumn<Close>[] = [
      { column: keyColumn, get: (close) => close.key },
      { column: VALID_FROM_COLUMN, get: (close) => close.validFrom },
      { column: VALID_TO_COLUMN, get: (close) => close.validTo },
    ];
    const closes = await stage(connection, stageName(table, 'closes'), closeColumns, plan.closes, internalProblem(table, 'closes'));
    await connection.run(
      `UPDATE ${quote(table.name)} AS t SET valid_to = c.valid_to FROM (SELECT ${closes.select} FROM ${closes.from}) AS c
        WHERE t.${quote(keyColumn.name)} = c.${quote(keyColumn.name)} AND t.valid_from = c.valid_from`,
      closes.params,
      closes.paramTypes,
    );
    await dropStage(connection, closes);
  }

  if (plan.inserts.length > 0) {
    const offsetOf = new Map(batch.records.map((record, i) => [record, batch.offsets[i]]));
    const offsets = plan.inserts.map((insert) => offsetOf.get(insert.record) ?? -1);
    const fromRecord = new Map(recordColumns<R>(table.columns, offsets).map((c) => [c.column.name, c.get]));
    const insertColumns = table.columns.map((column): StagedColumn<Insert<R>> => {
      if (column.name === VALID_FROM_COLUMN.name) return { column, get: (insert) => insert.validFrom };
      if (column.name === VALID_TO_COLUMN.name) return { column, get: (insert) => insert.validTo };
      const get = fromRecord.get(column.name);
      return { column, get: (insert, index) => get?.(insert.record, index) };
    });
    const staged = await stage(connection, stageName(table), insertColumns, plan.inserts, internalProblem(table, 'versions'));
    await connection.run(
      `INSERT INTO ${quote(table.name)} (${table.columns.map((c) => quote(c.name)).join(', ')}) SELECT ${staged.select} FROM ${staged.from}`,
      staged.params,
      staged.paramTypes,
    );
    await dropStage(connection, staged);
  }
}
