import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { fatalError, type MeterlineError } from '@meterline/stream';
import { endOffsets } from './end-offsets';
import { classifyKafkaError } from './kafka-errors';
import type { Log } from './log';
import type { TopicHandle } from './topic-handle';

export interface TableReaderOptions<K, V> {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A compacted topic: the latest value per key is the table, a null value (tombstone) deletes the key. */
  readonly topic: TopicHandle<K, V | null>;
  /** Applies one change; called in offset order per partition. */
  readonly onChange: (key: K, value: V | null) => void;
  /** A record that cannot be decoded: reported, skipped (the table stays usable), never retried. */
  readonly onPoison?: (error: MeterlineError, partition: number, offset: string) => void;
  readonly logger: Log;
}

/**
 * A global table (Kafka Streams' GlobalKTable): every instance reads every partition of a compacted topic from the
 * beginning, then keeps applying updates. `start()` resolves once the table is restored: everything that was in the
 * topic when it started has been applied, so a join against it does not see a half-loaded table.
 *
 * Each instance uses a consumer group of its own and never commits: its position is "the beginning", every time.
 */
export class TableReader<K, V> {
  private readonly consumer: Consumer;
  private restored = false;
  private restoredAt = 0;
  private readonly started = performance.now();

  constructor(private readonly o: TableReaderOptions<K, V>) {
    this.consumer = o.kafka.consumer({
      groupId: `table-${o.topic.name}-${randomUUID()}`,
      allowAutoTopicCreation: false,
      // Stopping waits for the fetch in flight; a table changes rarely, so short polls cost little and stop fast.
      maxWaitTimeInMs: 500,
    });
  }

  get isRestored(): boolean {
    return this.restored;
  }

  /** Milliseconds from start() to restored, once restored. */
  get restoreMs(): number | undefined {
    return this.restored ? this.restoredAt - this.started : undefined;
  }

  async start(): Promise<void> {
    const ends = await endOffsets(this.o.admin, this.o.topic.name);
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.o.topic.name], fromBeginning: true });
    } catch (err) {
      throw classifyKafkaError(err, `reading table ${this.o.topic.name}`);
    }
    let markRestored: () => void = () => undefined;
    const restored = new Promise<void>((resolve) => (markRestored = resolve));
    const checkRestored = () => {
      if (!this.restored && ends.size === 0) {
        this.restored = true;
        this.restoredAt = performance.now();
        markRestored();
      }
    };
    checkRestored();
    // Progress is taken from kafkajs's end-of-batch event, not from the records handed to us: a read_committed
    // consumer never sees aborted records or transaction markers, but they take offsets up to the high watermark,
    // and only the event (sent for such filtered batches too) tells that the consumer has moved past them.
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const end = ends.get(payload.partition);
      if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) {
        ends.delete(payload.partition);
        checkRestored();
      }
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const keys = await this.o.topic.key.decodeAll(batch.messages.flatMap((m) => (m.key ? [m.key] : [])));
        const values = await this.o.topic.value.decodeAll(batch.messages.flatMap((m) => (m.value ? [m.value] : [])));
        let k = 0;
        let v = 0;
        for (const m of batch.messages) {
          const key = m.key ? keys[k++] : undefined;
          const value = m.value ? values[v++] : { ok: true as const, value: null };
          if (!key || !key.ok || !value || !value.ok) {
            const error = (key && !key.ok ? key.error : value && !value.ok ? value.error : undefined) ??
              fatalError('TABLE_RECORD_WITHOUT_KEY', `a record of ${this.o.topic.name} has no key`);
            this.o.onPoison?.(error, batch.partition, m.offset);
          } else {
            this.o.onChange(key.value, value.value as V | null);
          }
        }
        await heartbeat();
      },
    });
    await restored;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
