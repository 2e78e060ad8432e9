import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { VersionedSchema } from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import type { SchemaChange } from '../model/evolution';
import { checkCommitCovers, commitPositions, newRecords } from '../model/offsets';
import { recordProblem } from '../model/poison';
import type { NewBatch } from '../model/record-columns';
import { defineTable, type TableDefinition, type TableName, type WarehouseModel, warehouseModel } from '../model/tables';
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
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly ownedInstance: DuckDBInstance | undefined,
    private model: WarehouseModel,
  ) {}

  ensureTables(): Promise<void> {
    return this.exclusive('creating warehouse tables', async () => {
      await this.apply([offsetsShape, ...Object.values(this.model)]);
    });
  }

  evolve(table: TableName, schema: VersionedSchema<unknown>): Promise<readonly SchemaChange[]> {
    return this.exclusive(`evolving ${table} to ${schema.family} v${schema.version}`, async () => {
      const current = this.model[table];
      // Records of older writers are read through the newest schema (defaults fill what they lack): going back to
      // an older version would only stop filling the newer columns.
      if (schema.family === current.schema.family && schema.version < current.schema.version) return [];
      const next = defineTable(table, schema, current.write);
      const changes = await this.apply([next]);
      this.model = { ...this.model, [table]: next };
      return changes;
    });
  }

  poisonRecords<T extends TableName>(batch: WriteBatch<T>): readonly PoisonRecord<T>[] {
    const table = this.model[batch.table];
    return batch.records.flatMap((record) => {
      const error = recordProblem(table, record);
      return error === undefined ? [] : [{ record, error }];
    });
  }

  writeBatch<T extends TableName>(batch: WriteBatch<T>, commit: OffsetCommit): Promise<WriteResult> {
    return this.exclusive(`writing a batch to ${batch.table}`, () => {
      const positions = commitPositions(commit);
      return this.transaction(async () => {
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
    return this.exclusive('reading stored offsets', () => readOffsets(this.connection, group, topic));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
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

  private async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.connection.run('BEGIN TRANSACTION');
    try {
      const result = await work();
      await this.connection.run('COMMIT');
      return result;
    } catch (err) {
      // After a failed statement DuckDB has aborted the transaction (a COMMIT would roll back without a word);
      // after a failed COMMIT there is none left, and this ROLLBACK's own error says only that.
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }

  private exclusive<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(fatalError('WAREHOUSE_CLOSED', `${what}: the warehouse is closed`));
    const run = this.queue.then(work, work).catch((err: unknown) => {
      throw classifyDuckDbError(err, what);
    });
    this.queue = run.catch(() => undefined);
    return run;
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
