import type { DuckDBConnection } from '@duckdb/node-api';
import { fatalError } from '@meterline/stream';
import type { ColumnDefinition } from '../model/column';
import { conversionError } from '../model/poison';
import { type NewBatch, recordColumns, requireValues } from '../model/record-columns';
import type { TableDefinition } from '../model/tables';
import type { SourceRecord } from '../warehouse';
import { quote } from './duckdb-types';
import { stage, type Staged } from './staging';

export const stageName = (table: TableDefinition, what = 'rows') => `stage_${table.name}_${what}`;

export async function stageRecords<R extends SourceRecord<unknown>>(
  connection: DuckDBConnection,
  table: TableDefinition,
  batch: NewBatch<R>,
): Promise<Staged> {
  requireValues(table, batch.records);
  return stage(connection, stageName(table), recordColumns<R>(table.columns, batch.offsets), batch.records, (record, column, problem) =>
    conversionError(table.name, record, column.name, problem),
  );
}

export const dropStage = (connection: DuckDBConnection, staged: Staged) => connection.run(`DROP TABLE IF EXISTS ${staged.from}`);

const columnList = (columns: readonly ColumnDefinition[]) => columns.map((c) => quote(c.name)).join(', ');

/** Facts: every record becomes a row, in one INSERT ... SELECT from the staged batch. */
export async function appendRecords<R extends SourceRecord<unknown>>(
  connection: DuckDBConnection,
  table: TableDefinition,
  batch: NewBatch<R>,
): Promise<void> {
  const staged = await stageRecords(connection, table, batch);
  await connection.run(
    `INSERT INTO ${quote(table.name)} (${columnList(table.columns)}) SELECT ${staged.select} FROM ${staged.from}`,
    staged.params,
    staged.paramTypes,
  );
  await dropStage(connection, staged);
}

/**
 * Aggregates: one row per key, replaced only by a strictly higher `keepHighest`, so the result does not depend on
 * arrival order. Within a batch the highest wins and, among equals, the earliest record (as across batches, where
 * an equal revision leaves the row alone). MERGE needs one source row per key, hence the QUALIFY.
 */
export async function upsertRecords<R extends SourceRecord<unknown>>(
  connection: DuckDBConnection,
  table: TableDefinition,
  batch: NewBatch<R>,
): Promise<void> {
  if (table.write.kind !== 'upsert') throw fatalError('WAREHOUSE_MODEL_INVALID', `${table.name} is not an upsert table`);
  const { key, keepHighest } = table.write;
  const staged = await stageRecords(connection, table, batch);
  const keys = new Set(key);
  const highest = quote(keepHighest);
  const source = `SELECT * FROM (SELECT ${staged.select} FROM ${staged.from})
    QUALIFY row_number() OVER (PARTITION BY ${key.map(quote).join(', ')}
                               ORDER BY ${highest} DESC, source_partition, source_offset) = 1`;
  const updates = table.columns.filter((c) => !keys.has(c.name)).map((c) => `${quote(c.name)} = s.${quote(c.name)}`);
  await connection.run(
    `MERGE INTO ${quote(table.name)} AS t USING (${source}) AS s
       ON ${key.map((k) => `t.${quote(k)} = s.${quote(k)}`).join(' AND ')}
     WHEN MATCHED AND s.${highest} > t.${highest} THEN UPDATE SET ${updates.join(', ')}
     WHEN NOT MATCHED THEN INSERT (${columnList(table.columns)}) VALUES (${table.columns.map((c) => `s.${quote(c.name)}`).join(', ')})`,
    staged.params,
    staged.paramTypes,
  );
  await dropStage(connection, staged);
}
