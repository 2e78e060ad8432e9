import type { NodeMetadata, NodeMetricAgg, NodeMetricEnriched, VersionedSchema } from '@meterline/schemas';
import type { MeterlineError } from '@meterline/stream';
import type { SchemaChange } from './model/evolution';
import type { TableName } from './model/tables';

/**
 * A consumed Kafka record as the loader holds it; structurally a subset of @meterline/kafka's ConsumedRecord, so
 * those pass through unchanged. Offsets are Kafka's int64 as decimal strings, as kafkajs has them.
 */
export interface SourceRecord<V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly value: V;
}

/** A record of the compacted metadata topic: the key names the node, because a tombstone has no value. */
export interface KeyedSourceRecord<V> extends SourceRecord<V | null> {
  readonly key: string | null;
  /** The record timestamp (broker append time, epoch ms): when a tombstone closes the node's current version. */
  readonly timestamp: number;
}

/** What each table loads. Values may carry more fields (a newer schema version); columns decide what is read. */
export interface TableRecords {
  readonly fact_node_metric: SourceRecord<NodeMetricEnriched>;
  readonly agg_node_metric: SourceRecord<NodeMetricAgg>;
  readonly dim_node: KeyedSourceRecord<NodeMetadata>;
}

export interface WriteBatch<T extends TableName = TableName> {
  readonly table: T;
  readonly records: readonly TableRecords[T][];
}

/** The position after the last consumed record of one partition: where a restarted consumer resumes. */
export interface PartitionOffset {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: string;
}

/** The consumed offsets committed together with a batch, for one consumer group. */
export interface OffsetCommit {
  readonly group: string;
  readonly offsets: readonly PartitionOffset[];
}

export interface WriteResult {
  readonly table: TableName;
  /** Records handed to the table's writer: the batch minus `skipped`. */
  readonly loaded: number;
  /** Records already loaded by an earlier batch (below the stored next offset of their partition): a re-delivery. */
  readonly skipped: number;
}

export interface PoisonRecord<T extends TableName = TableName> {
  readonly record: TableRecords[T];
  /** kind `poison`, with the table, column and lineage in its details: what the DLQ headers need. */
  readonly error: MeterlineError;
}

/**
 * One warehouse, whatever the backend. Every write is a transaction holding the rows and the consumed offsets, so
 * the loader resumes from `readOffsets` and a re-delivery never adds a row twice.
 *
 * Errors are MeterlineErrors: `poison` for a record that cannot be converted (with its lineage, for the DLQ),
 * `transient` for an unreachable, locked or conflicting warehouse (back off, retry), `fatal` for everything else.
 */
export interface Warehouse {
  /** Creates the missing tables and brings existing ones to the model's schemas (or refuses: see `evolve`). */
  ensureTables(): Promise<void>;
  /**
   * Moves one table to another version of its value schema while loading continues: a new field becomes a nullable
   * column (old rows read its Avro default, null for optional fields). An incompatible change (a type change, a
   * removed required field, a new required field without default) is refused with a fatal error naming the columns,
   * and nothing changes.
   */
  evolve(table: TableName, schema: VersionedSchema<unknown>): Promise<readonly SchemaChange[]>;
  /** Records of the batch that can never be written, so the loader can dead-letter them before `writeBatch`. */
  poisonRecords<T extends TableName>(batch: WriteBatch<T>): readonly PoisonRecord<T>[];
  /**
   * Writes the records and stores the offsets in one transaction. Records below the stored next offset of their
   * partition (or repeated within the batch) are skipped; every written record must lie below the committed next
   * offset of its partition, or the batch is refused as a programming error. A stored offset never moves backwards.
   */
  writeBatch<T extends TableName>(batch: WriteBatch<T>, commit: OffsetCommit): Promise<WriteResult>;
  /** The stored next offsets of a consumer group on one topic, by partition; empty before the first batch. */
  readOffsets(group: string, topic: string): Promise<readonly PartitionOffset[]>;
  close(): Promise<void>;
}
