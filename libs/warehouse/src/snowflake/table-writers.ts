import { fatalError } from '@meterline/stream';
import type { ColumnDefinition } from '../model/column';
import { conversionError } from '../model/poison';
import { type NewBatch, recordColumns, requireValues } from '../model/record-columns';
import type { TableDefinition } from '../model/tables';
import type { SourceRecord } from '../warehouse';
import type { SnowflakeSession } from './snowflake-session';
import { quote } from './snowflake-types';
import { encodeRows, loadStaging, stagedRowsSql, type StagingTable } from './staging';

/** What a writer needs besides its batch: the session, the staging tables made for this table, the stage threshold. */
export interface WriteContext {
  readonly session: SnowflakeSession;
  readonly stageThreshold: number;
}

/** The staging table of a table's rows (every column of the table), and for history tables the one of its closes. */
export const stagingOf = (table: TableDefinition, what = 'rows'): StagingTable => ({
  name: `meterline_stage_${table.name}_${what}`,
  columns: table.columns,
});

export const columnList = (columns: readonly ColumnDefinition[]) => columns.map((c) => quote(c.name)).join(', ');

/** Encodes the batch's records (checking every value, poison with lineage) and loads them into the rows staging table. */
async function stageRecords<R extends SourceRecord<unknown>>(context: WriteContext, table: TableDefinition, batch: NewBatch<R>): Promise<StagingTable> {
  requireValues(table, batch.records);
  const rows = encodeRows(recordColumns<R>(table.columns, batch.offsets), batch.records, (record, column, problem) =>
    conversionError(table.name, record, column.name, problem),
  );
  const staging = stagingOf(table);
  await loadStaging(context.session, staging, rows, context.stageThreshold);
  return staging;
}

/** INSERT INTO <table> ... SELECT: every record becomes a row. */
export const appendSql = (table: TableDefinition, staging: StagingTable): string =>
  `INSERT INTO ${quote(table.name)} (${columnList(table.columns)}) ${stagedRowsSql(staging)}`;

/**
 * MERGE keeping one row per key, replaced only by a strictly higher `keepHighest`, so the result does not depend on
 * arrival order. Within a batch the highest wins and, among equals, the earliest record (as across batches, where an
 * equal revision leaves the row alone). MERGE needs one source row per key (Snowflake calls several
 * nondeterministic), hence the QUALIFY.
 */
export function upsertSql(table: TableDefinition, staging: StagingTable): string {
  if (table.write.kind !== 'upsert') throw fatalError('WAREHOUSE_MODEL_INVALID', `${table.name} is not an upsert table`);
  const { key, keepHighest } = table.write;
  const keys = new Set(key);
  const highest = quote(keepHighest);
  const source = `SELECT * FROM (${stagedRowsSql(staging)})
    QUALIFY ROW_NUMBER() OVER (PARTITION BY ${key.map(quote).join(', ')}
                               ORDER BY ${highest} DESC, ${quote('source_partition')}, ${quote('source_offset')}) = 1`;
  const updates = table.columns.filter((c) => !keys.has(c.name)).map((c) => `${quote(c.name)} = s.${quote(c.name)}`);
  return `MERGE INTO ${quote(table.name)} AS t USING (${source}) AS s
    ON ${key.map((k) => `t.${quote(k)} = s.${quote(k)}`).join(' AND ')}
  WHEN MATCHED AND s.${highest} > t.${highest} THEN UPDATE SET ${updates.join(', ')}
  WHEN NOT MATCHED THEN INSERT (${columnList(table.columns)}) VALUES (${table.columns.map((c) => `s.${quote(c.name)}`).join(', ')})`;
}

/** Facts: every record becomes a row. */
export async function appendRecords<R extends SourceRecord<unknown>>(context: WriteContext, table: TableDefinition, batch: NewBatch<R>): Promise<void> {
  await context.session.query(appendSql(table, await stageRecords(context, table, batch)));
}

/** Aggregates: one row per key, the highest revision wins (see upsertSql). */
export async function upsertRecords<R extends SourceRecord<unknown>>(context: WriteContext, table: TableDefinition, batch: NewBatch<R>): Promise<void> {
  await context.session.query(upsertSql(table, await stageRecords(context, table, batch)));
}
