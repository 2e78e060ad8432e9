import type { VersionedSchema } from '@meterline/schemas';
import type { SchemaChange } from '../model/evolution';
import { checkCommitCovers, commitPositions, newRecords } from '../model/offsets';
import { poisonRecordsOf } from '../model/poison';
import { inTransaction, SessionQueue } from '../model/session-queue';
import type { NewBatch } from '../model/record-columns';
import { evolvedTable, type TableDefinition, type TableName, type WarehouseModel, warehouseModel } from '../model/tables';
import type { KeyedSourceRecord, OffsetCommit, PartitionOffset, PoisonRecord, SourceRecord, Warehouse, WriteBatch, WriteResult } from '../warehouse';
import { closesStagingOf, writeHistory } from './history-writer';
import { readOffsets, storedOffsets, storeOffsets } from './offset-store';
import { offsetsShape, tableStatements, type TableShape } from './snowflake-catalog';
import { classifySnowflakeError } from './snowflake-errors';
import { connectionOptions, DEFAULT_STAGE_THRESHOLD, type SnowflakeWarehouseOptions } from './snowflake-options';
import { openSession, type SnowflakeSession } from './snowflake-session';
import { createStagingSql, type StagingTable } from './staging';
import { appendRecords, stagingOf, upsertRecords, type WriteContext } from './table-writers';

/**
 * Snowflake behind the Warehouse interface. One session, one statement at a time: calls are queued, because a
 * Snowflake transaction belongs to its session and two batches interleaving in it would commit each other's rows.
 */
class SnowflakeWarehouse implements Warehouse {
  private readonly calls = new SessionQueue(classifySnowflakeError);
  private readonly context: WriteContext;

  constructor(
    private readonly session: SnowflakeSession,
    private model: WarehouseModel,
    stageThreshold: number,
  ) {
    this.context = { session, stageThreshold };
  }

  ensureTables(): Promise<void> {
    return this.calls.run('creating warehouse tables', async () => {
      await this.apply([offsetsShape, ...Object.values(this.model)]);
    });
  }

  evolve(table: TableName, schema: VersionedSchema<unknown>): Promise<readonly SchemaChange[]> {
    return this.calls.run(`evolving ${table} to ${schema.family} v${schema.version}`, async () => {
      const next = evolvedTable(this.model[table], table, schema);
      if (next === undefined) return [];
      const changes = await this.apply([next]);
      this.model = { ...this.model, [table]: next };
      return changes;
    });
  }

  poisonRecords<T extends TableName>(batch: WriteBatch<T>): readonly PoisonRecord<T>[] {
    return poisonRecordsOf(this.model[batch.table], batch);
  }

  writeBatch<T extends TableName>(batch: WriteBatch<T>, commit: OffsetCommit): Promise<WriteResult> {
    return this.calls.run(`writing a batch to ${batch.table}`, async () => {
      const positions = commitPositions(commit);
      const table = this.model[batch.table];
      // DDL commits an open transaction in Snowflake: the (empty) staging tables are made before the batch's begins.
      for (const staging of stagingTablesOf(table)) await this.session.query(createStagingSql(staging));
      return inTransaction((sql) => this.session.query(sql), async () => {
        const fresh = newRecords<SourceRecord<unknown>>(batch.records, await storedOffsets(this.session, commit.group));
        checkCommitCovers(fresh.highest, positions);
        if (fresh.records.length > 0) await this.write(table, fresh);
        await storeOffsets(this.session, commit.group, [...positions.values()]);
        return { table: batch.table, loaded: fresh.records.length, skipped: fresh.skipped };
      });
    });
  }

  readOffsets(group: string, topic: string): Promise<readonly PartitionOffset[]> {
    return this.calls.run('reading stored offsets', () => readOffsets(this.session, group, topic));
  }

  async close(): Promise<void> {
    if (!(await this.calls.close())) return;
    await this.session.close();
  }

  private write(table: TableDefinition, batch: NewBatch<SourceRecord<unknown>>): Promise<void> {
    switch (table.write.kind) {
      case 'append':
        return appendRecords(this.context, table, batch);
      case 'upsert':
        return upsertRecords(this.context, table, batch);
      case 'history':
        // The history table's records are the metadata topic's, keyed (TableRecords['dim_node']).
        return writeHistory(this.context, table, batch as NewBatch<KeyedSourceRecord<object>>);
    }
  }

  /**
   * Checks every shape against the catalog before changing anything, so an incompatible table leaves the others
   * untouched too; then runs the statements one by one (each DDL statement is its own transaction in Snowflake).
   * Every statement is additive, and an interrupted run is completed by the next one, which plans from the catalog.
   */
  private async apply(shapes: readonly TableShape[]): Promise<SchemaChange[]> {
    const planned = [];
    for (const shape of shapes) planned.push(await tableStatements(this.session, shape));
    for (const statement of planned.flatMap((p) => p.statements)) await this.session.query(statement);
    return planned.flatMap((p) => p.changes);
  }


}

/** The staging tables a batch of this table loads through. */
function stagingTablesOf(table: TableDefinition): StagingTable[] {
  return table.write.kind === 'history' ? [stagingOf(table), closesStagingOf(table)] : [stagingOf(table)];
}

/**
 * Connects to Snowflake (password or key-pair auth); call `ensureTables()` before the first batch. Fails with a fatal
 * error naming every problem of the options, or with the classified connection error.
 */
export async function openSnowflakeWarehouse(options: SnowflakeWarehouseOptions): Promise<Warehouse> {
  connectionOptions(options);
  const model = options.model ?? warehouseModel();
  try {
    return new SnowflakeWarehouse(await openSession(options), model, options.stageThreshold ?? DEFAULT_STAGE_THRESHOLD);
  } catch (err) {
    throw classifySnowflakeError(err, `connecting to Snowflake account ${options.account} as ${options.user}`);
  }
}
