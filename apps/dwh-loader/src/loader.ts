import {
  type AvroSerde,
  type BatchControl,
  type Decoded,
  type EvolvingDecoder,
  type Log,
  type PartitionBatch,
  type RetryPolicy,
  type SchemaUpgrade,
  type StoredPosition,
  withRetry,
} from '@meterline/kafka';
import type { PipelineMetrics } from '@meterline/observability';
import type { AvroSchema, VersionedSchema } from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import type { TableName, Warehouse } from '@meterline/warehouse';
import type { Feed } from './feeds';
import type { NextOffset } from './micro-batch';
import { evolvedSchema, toLoadItems, type ConsumedMessage } from './pipeline';
import type { TableLoader } from './table-loader';
import type { WarehouseGuard } from './warehouse-guard';

/** What the loader reads one topic with. */
export interface FeedInput {
  readonly feed: Feed;
  /** The topic's full name (with the run's prefix) and its dead-letter topic. */
  readonly topic: string;
  readonly dlq: string;
  readonly tombstones: boolean;
  readonly keys: AvroSerde<string>;
  readonly values: EvolvingDecoder<unknown>;
  readonly table: TableLoader;
}

export interface LoaderOptions {
  readonly inputs: readonly FeedInput[];
  readonly metrics: PipelineMetrics;
  /** Commits positions to Kafka for lag monitoring (never read back); resolves with the ones it committed. */
  readonly commit: <T extends { topic: string; partition: number; offset: string }>(offsets: readonly T[]) => Promise<readonly T[]>;
  readonly warehouse: Warehouse;
  readonly guard: WarehouseGuard;
  readonly group: string;
  readonly log: Log;
  /** For registry lookups while decoding. */
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
}

/**
 * Between the consumer and the tables: decodes each fetch (moving a table to a newer schema version first when a
 * record was written with one), hands the records to their table's micro-batches, and answers the consumer's
 * questions about stored positions. The consumer calls it one fetch at a time.
 */
export class Loader {
  private readonly byTopic: ReadonlyMap<string, FeedInput>;
  private readonly schemas = new Map<TableName, VersionedSchema<unknown>>();
  private readonly highWatermarks = new Map<string, string>();
  /** Stored positions Kafka has not been told yet: committed by commitMonitoring, again until it succeeds. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private committing = false;

  constructor(private readonly o: LoaderOptions) {
    this.byTopic = new Map(o.inputs.map((i) => [i.topic, i]));
    for (const input of o.inputs) this.schemas.set(input.feed.table, input.feed.topic.value);
  }

  get topics(): string[] {
    return [...this.byTopic.keys()];
  }

  /** The stored positions of a topic, after the table's load in flight (whose positions would otherwise be missed). */
  async positions(topic: string): Promise<readonly StoredPosition[]> {
    const input = this.input(topic);
    await input.table.settled();
    const stored = await this.o.guard.run(`reading the stored offsets of ${topic}`, () => this.o.warehouse.readOffsets(this.o.group, topic));
    // A crash between a load and its monitoring commit leaves Kafka behind until the partition loads again: catch up.
    this.remember(stored.map((s) => ({ topic, partition: s.partition, nextOffset: s.nextOffset })));
    return stored.map((s) => ({ partition: s.partition, nextOffset: s.nextOffset }));
  }

  /** A rebalance: everything taken but not loaded is read again from the stored positions. */
  assigned(assignment: ReadonlyMap<string, readonly number[]>): void {
    for (const input of this.o.inputs) input.table.reset();
    const owned = (topic: string, partition: number) => (assignment.get(topic) ?? []).includes(partition);
    for (const [key, c] of [...this.uncommitted]) if (!owned(c.topic, c.partition)) this.uncommitted.delete(key);
    // A revoked partition's lag series would otherwise stay at its last value.
    for (const key of [...this.highWatermarks.keys()]) {
      const [topic = '', partition = ''] = key.split('\u0000');
      if (!owned(topic, Number(partition))) {
        this.highWatermarks.delete(key);
        this.o.metrics.consumerLag.remove({ topic, partition });
      }
    }
  }

  async onBatch(batch: PartitionBatch, control: BatchControl): Promise<void> {
    const input = this.input(batch.topic);
    this.highWatermarks.set(`${batch.topic}\u0000${batch.partition}`, batch.highWatermark);
    const { keys, values, upgrades } = await withRetry(`decoding ${batch.topic}`, () => this.decode(input, batch.messages), this.o.retry, {
      signal: this.o.signal,
      onRetry: (err, attempt, delayMs) => this.o.log.warn({ code: err.code, attempt, delayMs, topic: batch.topic }, `decoding: ${err.message}`),
    });
    // Before any record read with the newer schema reaches a batch: its columns must exist when that batch loads.
    await this.evolve(input.feed.table, upgrades);
    const items = toLoadItems({ batch, ...(keys ? { keys } : {}), values, tombstones: input.tombstones, dlqTopic: input.dlq });
    await input.table.admit(batch.topic, batch.partition, items, batch.nextOffset, control);
  }

  /** A table stored these positions: consumer lag against the last high watermark seen, and a monitoring commit. */
  loaded(offsets: readonly NextOffset[]): void {
    for (const { topic, partition, nextOffset } of offsets) {
      const high = this.highWatermarks.get(`${topic}\u0000${partition}`);
      if (high !== undefined) this.o.metrics.consumerLag.set({ topic, partition: String(partition) }, Math.max(0, Number(BigInt(high) - BigInt(nextOffset))));
    }
    this.remember(offsets);
    void this.commitMonitoring();
  }

  /**
   * Tells Kafka the stored positions (lag dashboards, `kafka-consumer-groups`). A failed commit (a rebalance under way,
   * say) is tried again on the next call, so an idle loader's committed offsets still end level with the stored ones.
   */
  async commitMonitoring(): Promise<void> {
    if (this.committing || this.uncommitted.size === 0) return;
    this.committing = true;
    const batch = [...this.uncommitted.values()];
    try {
      for (const c of await this.o.commit(batch)) {
        const k = `${c.topic}\u0000${c.partition}`;
        if (this.uncommitted.get(k) === c) this.uncommitted.delete(k);
      }
    } finally {
      this.committing = false;
    }
  }

  private remember(offsets: readonly NextOffset[]): void {
    for (const { topic, partition, nextOffset } of offsets) {
      const k = `${topic}\u0000${partition}`;
      const known = this.uncommitted.get(k);
      if (known === undefined || BigInt(nextOffset) > BigInt(known.offset)) this.uncommitted.set(k, { topic, partition, offset: nextOffset });
    }
  }

  skipped(topic: string, partition: number, nextOffset: string): void {
    this.input(topic).table.advance(topic, partition, nextOffset);
  }

  /** Moves a table to the newer value schemas a decoder found (at start, or in a fetch), oldest first. */
  async evolve(table: TableName, upgrades: readonly SchemaUpgrade[]): Promise<void> {
    for (const upgrade of upgrades) {
      const current = this.schemas.get(table);
      if (current === undefined) continue;
      const next = evolvedSchema(current, upgrade.schema as unknown as AvroSchema);
      const changes = await this.o.guard.run(`evolving ${table}`, () => this.o.warehouse.evolve(table, next));
      this.schemas.set(table, next);
      this.o.log.info(
        { table, subject: upgrade.subject, registryVersion: upgrade.version, schemaId: upgrade.schemaId, changes: changes.map((c) => `${c.kind} ${c.column.name}`) },
        'table moved to a newer schema version',
      );
    }
  }

  private input(topic: string): FeedInput {
    const input = this.byTopic.get(topic);
    if (input === undefined) throw fatalError('DWH_UNKNOWN_TOPIC', `a record of ${topic}, which no feed reads`, { details: { topic } });
    return input;
  }

  private async decode(input: FeedInput, messages: readonly ConsumedMessage[]) {
    const withValue = messages.flatMap((m) => (m.value ? [m.value] : []));
    const [decodedValues, decodedKeys] = await Promise.all([
      input.values.decodeAll(withValue),
      input.feed.keyed ? input.keys.decodeAll(messages.flatMap((m) => (m.key ? [m.key] : []))) : Promise.resolve(undefined),
    ]);
    let v = 0;
    let k = 0;
    const values = messages.map((m) => (m.value ? (decodedValues.values[v++] ?? null) : null));
    const keys =
      decodedKeys === undefined
        ? undefined
        : messages.map((m): Decoded<string | null> => (m.key ? (decodedKeys[k++] as Decoded<string>) : { ok: true, value: null }));
    return { keys, values, upgrades: decodedValues.upgrades };
  }
}

