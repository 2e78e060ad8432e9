import type { VersionedSchema } from '@meterline/schemas';
import { fatalError, transientError } from '@meterline/stream';
import type { OffsetCommit, PartitionOffset, PoisonRecord, SchemaChange, TableName, Warehouse, WriteBatch, WriteResult } from '@meterline/warehouse';

/**
 * A real warehouse with a switch in front: while `mode` is 'down' every call fails as an unreachable warehouse does
 * (transient, before reaching it), while 'broken' every write fails as a bug does (fatal). DuckDB embedded in the
 * process cannot be made unreachable from outside, so the outage is simulated here; everything else is the real thing.
 */
export class FlakyWarehouse implements Warehouse {
  mode: 'up' | 'down' | 'broken' = 'up';
  /** Calls refused while down. */
  refused = 0;

  constructor(readonly real: Warehouse) {}

  private check(what: string): void {
    if (this.mode === 'down') {
      this.refused += 1;
      throw transientError('WAREHOUSE_UNAVAILABLE', `IO Error: ${what}: injected outage`);
    }
  }

  ensureTables(): Promise<void> {
    this.check('ensureTables');
    return this.real.ensureTables();
  }

  evolve(table: TableName, schema: VersionedSchema<unknown>): Promise<readonly SchemaChange[]> {
    this.check('evolve');
    return this.real.evolve(table, schema);
  }

  poisonRecords<T extends TableName>(batch: WriteBatch<T>): readonly PoisonRecord<T>[] {
    return this.real.poisonRecords(batch);
  }

  async writeBatch<T extends TableName>(batch: WriteBatch<T>, commit: OffsetCommit): Promise<WriteResult> {
    this.check('writeBatch');
    if (this.mode === 'broken') throw fatalError('WAREHOUSE_FAILED', 'Binder Error: injected bug');
    return this.real.writeBatch(batch, commit);
  }

  async readOffsets(group: string, topic: string): Promise<readonly PartitionOffset[]> {
    this.check('readOffsets');
    return this.real.readOffsets(group, topic);
  }

  close(): Promise<void> {
    return this.real.close();
  }
}
