import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { fatalError } from '@meterline/stream';
import type { VersionedSchema } from '@meterline/schemas';
import type { SchemaChange } from '../model/evolution';
import { checkCommitCovers, commitPositions, newRecords } from '../model/offsets';
import { poisonRecordsOf } from '../model/poison';
import { inTransaction, SessionQueue } from '../model/session-queue';
import type { NewBatch } from '../model/record-columns';
import { evolvedTable, type TableDefinition, type TableName, type WarehouseModel, warehouseModel } from '../model/tables';
import type { KeyedSourceRecord, OffsetCommit, PartitionOffset, PoisonRecord, SourceRecord, Warehouse, WriteBatch, WriteResult } from '../warehouse';
import { offsetsShape, tableStatements, type TableShape } from './duckdb-catalog';
import { classifyDuckDbError } from './duckdb-errors';
import { writeHistory } from './history-writer';
import { readOffsets, storedOffsets, storeOffsets } from './offset-store';
import { appendRecords, upsertRecords } from './table-writers';

export type DuckDbWarehouseOptions = (
  | {
      /** The database file, created when missing; this warehouse owns it (and its lock) until `close()`. */
      readonly path: string;
    }
  | {
      /** An open database shared with other users in this process (reference queries, tests); left open by `close()`. */
      readonly instance: DuckDBInstance;
    }
) & {
  /** The tables and the schemas they derive from; by default the current schema versions of libs/schemas. */
  readonly model?: WarehouseModel;
};

/**
 * The embedded default warehouse. One connection, one statement at a time: calls are queued, because a DuckDB
 * transaction belongs to its connection and two batches interleaving in it would commit each other's rows.
 */
class DuckDbWarehouse implements Warehouse {
  private readonly calls = new SessionQueue(classifyDuckDbError);

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly ownedInstance: DuckDBInstance | undefined,
    private model: WarehouseModel,
  ) {}

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
    return this.calls.run(`writing a batch to ${batch.table}`, () => {
      const positions = commitPositions(commit);
      return inTransaction((sql) => this.connection.run(sql), async () => {
        const table = this.model[batch.table];
        const fresh = newRecords<SourceRecord<unknown>>(batch.records, await storedOffsets(this.connection, commit.group));
        checkCommitCovers(fresh.highest, positions);
        if (fresh.records.length > 0) await this.write(table, fresh);
        await storeOffsets(this.connection, commit.group, [...positions.values()]);
        return { table: batch.table, loaded: fresh.records.length, skipped: fresh.skipped };
      });
    });
  }

  readOffsets(group: string, topic: string): Promise<readonly PartitionOffset[]> {
    return this.calls.run('reading stored offsets', () => readOffsets(this.connection, group, topic));
  }

  async close(): Promise<void> {
    if (!(await this.calls.close())) return;
    this.connection.closeSync();
    this.ownedInstance?.closeSync();
  }

  private write(table: TableDefinition, batch: NewBatch<SourceRecord<unknown>>): Promise<void> {
    switch (table.write.kind) {
      case 'append':
        return appendRecords(this.connection, table, batch);
      case 'upsert':
        return upsertRecords(this.connection, table, batch);
      case 'history':
        // The history table's records are the metadata topic's, keyed (TableRecords['dim_node']).
        return writeHistory(this.connection, table, batch as NewBatch<KeyedSourceRecord<object>>);
    }
  }

  /**
   * Checks every shape against the catalog before changing anything, so an incompatible table leaves the others
   * untouched too; then runs the statements one by one. They are not one transaction: DuckDB 1.5 fails the commit
   * of a transaction that adds a column with a non-literal default and then alters the same table again ("another
   * transaction has altered this table"). Every statement is additive, and an interrupted run is completed by the
   * next one (it plans from the catalog as it finds it).
   */
  private async apply(shapes: readonly TableShape[]): Promise<SchemaChange[]> {
    const planned = [];
    for (const shape of shapes) planned.push(await tableStatements(this.connection, shape));
    for (const statement of planned.flatMap((p) => p.statements)) await this.connection.run(statement);
    return planned.flatMap((p) => p.changes);
  }


}

/** Opens (or creates) a DuckDB warehouse; call `ensureTables()` before the first batch. */
export async function openDuckDbWarehouse(options: DuckDbWarehouseOptions): Promise<Warehouse> {
  const model = options.model ?? warehouseModel();
  try {
    const owned = 'path' in options ? await DuckDBInstance.create(options.path) : undefined;
    const instance = owned ?? ('instance' in options ? options.instance : undefined);
    if (instance === undefined) throw fatalError('WAREHOUSE_CONFIG', 'a DuckDB warehouse needs a path or an instance');
    return new DuckDbWarehouse(await instance.connect(), owned, model);
  } catch (err) {
    throw classifyDuckDbError(err, `opening the DuckDB warehouse${'path' in options ? ` ${options.path}` : ''}`);
  }
}
