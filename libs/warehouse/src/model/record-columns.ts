import type { SourceRecord } from '../warehouse';
import type { ColumnDefinition } from './column';
import { conversionError } from './poison';
import type { TableDefinition } from './tables';
import { fieldReader } from './values';

/** A column to write and how to read its value from one record; `index` is the record's position in the batch. */
export interface ColumnReader<R> {
  readonly column: ColumnDefinition;
  readonly get: (record: R, index: number) => unknown;
}

/** The records of one batch that are to be written, with their parsed offsets (parallel arrays). */
export interface NewBatch<R extends SourceRecord<unknown>> {
  readonly records: readonly R[];
  readonly offsets: readonly number[];
}

/** Lineage columns read from the Kafka coordinates; the offset comes parsed, by position. */
function lineageValue<R extends SourceRecord<unknown>>(column: ColumnDefinition, offsets: readonly number[]) {
  switch (column.name) {
    case 'source_topic':
      return (record: R) => record.topic;
    case 'source_partition':
      return (record: R) => record.partition;
    default:
      return (_: R, index: number) => offsets[index];
  }
}

/** Field columns from the record value (or the field's default), lineage from the record's coordinates. */
export function recordColumns<R extends SourceRecord<unknown>>(
  columns: readonly ColumnDefinition[],
  offsets: readonly number[],
): ColumnReader<R>[] {
  return columns.map((column) => {
    if (column.origin === 'lineage') return { column, get: lineageValue<R>(column, offsets) };
    const read = fieldReader(column);
    return { column, get: (record: R) => read(record.value as object) };
  });
}

/** Refuses a record whose value is not a record at all before any column is read from it. */
export function requireValues(table: TableDefinition, records: readonly SourceRecord<unknown>[]): void {
  for (const record of records) {
    if (typeof record.value !== 'object' || record.value === null) {
      throw conversionError(table.name, record, '*', `the value is ${record.value === null ? 'null' : `a ${typeof record.value}`}, not a record`);
    }
  }
}
