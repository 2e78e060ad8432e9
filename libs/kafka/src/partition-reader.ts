import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { fatalError } from '@meterline/stream';
import { decodeMessages } from './decode-messages';
import { endOffsets } from './end-offsets';
import { classifyKafkaError } from './kafka-errors';
import type { TopicHandle } from './topic-handle';

export interface ReadPartitionsOptions<K, V> {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** A changelog: compacted, so a null value is a tombstone. */
  readonly topic: TopicHandle<K, V | null>;
  readonly partitions: readonly number[];
  /** Called per record, in offset order within a partition. */
  readonly apply: (partition: number, key: K, value: V | null) => void;
}

/**
 * Reads the given partitions of a topic from the beginning to their end as of the call (Kafka Streams' restore
 * consumer), committed records only, and stops. Returns the number of records applied.
 *
 * kafkajs has no manual assignment, so a throwaway group is the only member of itself and gets every partition; the
 * ones not asked for are paused on their first batch. Nothing is committed, so the group leaves nothing behind.
 * A record that cannot be decoded is fatal: state restored without it would be silently wrong.
 */
export async function readPartitions<K, V>(o: ReadPartitionsOptions<K, V>): Promise<number> {
  const wanted = new Set(o.partitions);
  const ends = await endOffsets(o.admin, o.topic.name, wanted);
  if (ends.size === 0) return 0;

  const consumer = o.kafka.consumer({
    groupId: `restore-${o.topic.name}-${randomUUID()}`,
    allowAutoTopicCreation: false,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    retry: { restartOnFailure: async () => false },
  });
  let applied = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      // Progress comes from the end-of-batch event, which kafkajs also sends for batches of aborted records and
      // transaction markers only: those take offsets up to the end but never reach eachBatch (see TableReader).
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const end = ends.get(payload.partition);
        if (end !== undefined && BigInt(payload.lastOffset) + 1n >= end) {
          ends.delete(payload.partition);
          if (ends.size === 0) resolve();
        }
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(classifyKafkaError(payload.error, `restoring from ${o.topic.name}`)));
      const start = async () => {
        await consumer.connect();
        await consumer.subscribe({ topics: [o.topic.name], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch, pause }) => {
            if (!wanted.has(batch.partition)) {
              pause();
              return;
            }
            const decoded = await decodeMessages(o.topic, batch.messages);
            decoded.forEach((d, i) => {
              const where = `${o.topic.name}[${batch.partition}]@${batch.messages[i]?.offset}`;
              if (!d.ok) throw fatalError('STATE_UNREADABLE', `${where}: ${d.error.message}`, { cause: d.error });
              if (d.value.key === null) throw fatalError('STATE_UNREADABLE', `${where}: a state entry without a key`);
              o.apply(batch.partition, d.value.key, d.value.value);
              applied++;
            });
          },
        });
      };
      start().catch((err: unknown) => reject(classifyKafkaError(err, `restoring from ${o.topic.name}`)));
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
  }
  return applied;
}
