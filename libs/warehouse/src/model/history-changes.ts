import { fatalError } from '@meterline/stream';
import type { KeyedSourceRecord } from '../warehouse';
import type { ColumnDefinition } from './column';
import type { HistoryChange, HistoryPlan } from './history';
import { recordProblem } from './poison';
import { type ColumnReader, type NewBatch, recordColumns } from './record-columns';
import { columnOf, type TableDefinition, VALID_FROM_COLUMN, VALID_TO_COLUMN } from './tables';
import { comparableText, fieldValue } from './values';

export type HistoryClose = HistoryPlan<unknown>['closes'][number];
export type HistoryInsert<R> = HistoryPlan<R>['inserts'][number];

/** The columns SCD2 works with: the key, the field a version's validity starts from, and what a version is made of. */
export interface HistoryShape {
  readonly key: ColumnDefinition;
  readonly validFrom: ColumnDefinition;
  /** Every field except the time its validity starts from: versions with equal attributes are one version. */
  readonly attributes: readonly ColumnDefinition[];
}

export function historyShape(table: TableDefinition): HistoryShape {
  if (table.write.kind !== 'history') throw fatalError('WAREHOUSE_MODEL_INVALID', `${table.name} is not a history table`);
  const validFrom = columnOf(table, table.write.validFrom);
  return {
    key: columnOf(table, table.write.key),
    validFrom,
    attributes: table.columns.filter((c) => c.origin === 'field' && c !== validFrom),
  };
}

/**
 * Equal for versions with equal attributes, whether the values come from a record or are read back from the warehouse
 * (comparableText makes both forms alike).
 */
export const historyFingerprint = (attributes: readonly ColumnDefinition[], valueOf: (column: ColumnDefinition, i: number) => unknown): string =>
  JSON.stringify(attributes.map((column, i) => comparableText(column.type, valueOf(column, i))));

/** The batch's records as history changes, in consumption order; a record that cannot be written is thrown as poison. */
export function historyChanges<R extends KeyedSourceRecord<object>>(table: TableDefinition, shape: HistoryShape, batch: NewBatch<R>): HistoryChange<R>[] {
  for (const record of batch.records) {
    const problem = recordProblem(table, record);
    if (problem !== undefined) throw problem;
  }
  return batch.records.map((record): HistoryChange<R> => {
    const value = record.value;
    if (value === null) return { kind: 'tombstone', key: String(record.key), at: record.timestamp };
    return {
      kind: 'update',
      key: String(fieldValue(shape.key, value)),
      validFrom: Number(fieldValue(shape.validFrom, value)),
      fingerprint: historyFingerprint(shape.attributes, (column) => fieldValue(column, value)),
      record,
    };
  });
}

/** The rows that close stored versions: key, valid_from (which version) and the valid_to to set. */
export const closeColumns = (shape: HistoryShape): ColumnReader<HistoryClose>[] => [
  { column: shape.key, get: (close) => close.key },
  { column: VALID_FROM_COLUMN, get: (close) => close.validFrom },
  { column: VALID_TO_COLUMN, get: (close) => close.validTo },
];

/** Every column of the new versions: validity from the plan, fields and lineage from the record each version came from. */
export function versionColumns<R extends KeyedSourceRecord<object>>(
  table: TableDefinition,
  batch: NewBatch<R>,
  inserts: readonly HistoryInsert<R>[],
): ColumnReader<HistoryInsert<R>>[] {
  const offsetOf = new Map(batch.records.map((record, i) => [record, batch.offsets[i]]));
  const offsets = inserts.map((insert) => offsetOf.get(insert.record) ?? -1);
  const fromRecord = new Map(recordColumns<R>(table.columns, offsets).map((c) => [c.column.name, c.get]));
  return table.columns.map((column): ColumnReader<HistoryInsert<R>> => {
    if (column.name === VALID_FROM_COLUMN.name) return { column, get: (insert) => insert.validFrom };
    if (column.name === VALID_TO_COLUMN.name) return { column, get: (insert) => insert.validTo };
    const get = fromRecord.get(column.name);
    return { column, get: (insert, index) => get?.(insert.record, index) };
  });
}
