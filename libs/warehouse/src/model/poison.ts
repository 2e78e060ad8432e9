import { type MeterlineError, poisonError } from '@meterline/stream';
import type { PoisonRecord, SourceRecord, WriteBatch } from '../warehouse';
import type { ColumnDefinition } from './column';
import type { TableDefinition, TableName } from './tables';
import { fieldReader, valueCheck } from './values';

/** A record that cannot be written, with everything a DLQ entry needs: table, column, reason and lineage. */
export function conversionError(
  table: string,
  record: SourceRecord<unknown>,
  column: string,
  problem: string,
): MeterlineError {
  return poisonError(
    'WAREHOUSE_ROW_CONVERSION',
    `${table}.${column}: ${problem} (record ${record.topic}[${record.partition}]@${record.offset})`,
    { details: { table, column, topic: record.topic, partition: record.partition, offset: record.offset } },
  );
}

interface FieldCheck {
  readonly column: ColumnDefinition;
  readonly read: (value: object) => unknown;
  readonly check: (value: unknown) => string | undefined;
}

/** Readers and checks of a table's field columns, built once per table definition (batches hold many records). */
const checksByTable = new WeakMap<TableDefinition, readonly FieldCheck[]>();

function fieldChecks(table: TableDefinition): readonly FieldCheck[] {
  let checks = checksByTable.get(table);
  if (checks === undefined) {
    checks = table.columns
      .filter((column) => column.origin === 'field')
      .map((column) => ({ column, read: fieldReader(column), check: valueCheck(column) }));
    checksByTable.set(table, checks);
  }
  return checks;
}

/**
 * Why a record cannot be written to the table, or undefined. Tombstones (null values) are valid only in a history
 * table, and only with a key that names what they remove.
 */
export function recordProblem(table: TableDefinition, record: SourceRecord<unknown> & { readonly key?: unknown }): MeterlineError | undefined {
  if (record.value === null) {
    if (table.write.kind !== 'history') return conversionError(table.name, record, '*', 'a null value (tombstone) in a table without history');
    return typeof record.key === 'string' ? undefined : conversionError(table.name, record, table.write.key, 'a tombstone without a key');
  }
  if (typeof record.value !== 'object') return conversionError(table.name, record, '*', `the value is a ${typeof record.value}, not a record`);
  for (const { column, read, check } of fieldChecks(table)) {
    const problem = check(read(record.value));
    if (problem !== undefined) return conversionError(table.name, record, column.name, problem);
  }
  return undefined;
}

/** The records of a batch that can never be written to `table`, each with the reason (what the DLQ headers need). */
export function poisonRecordsOf<T extends TableName>(table: TableDefinition, batch: WriteBatch<T>): readonly PoisonRecord<T>[] {
  return batch.records.flatMap((record) => {
    const error = recordProblem(table, record);
    return error === undefined ? [] : [{ record, error }];
  });
}
