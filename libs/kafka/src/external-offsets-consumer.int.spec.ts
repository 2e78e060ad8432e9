import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import type { MeterlineError } from '@meterline/stream';
import { ExternalOffsetsConsumer, type PartitionBatch } from './external-offsets-consumer';
import { createKafka } from './kafka-client';
import type { Log } from './log';
import { ensureTopics } from './topic-admin';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const { kafkaBrokers } = stackEndpoints();
const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'external-offsets-spec', logger: quiet });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumers: ExternalOffsetsConsumer[] = [];

beforeAll(async () => {
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await producer.disconnect();
  await admin.disconnect();
});

async function topicWith(partitions: number, perPartition: number): Promise<string> {
  const topic = uniqueName('it.extoff');
  await ensureTopics(admin, [{ name: topic, partitions, configs: { 'cleanup.policy': 'delete' } }]);
  for (let p = 0; p < partitions; p++) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: perPartition }, (_, i) => ({ partition: p, key: `k${i}`, value: `p${p}-${i}` })),
    });
  }
  return topic;
}

/** A consumer whose "store" is a map; `store` decides which batches count as stored (by default all of them). */
function consumerOf(
  topic: string,
  groupId: string,
  stored: Map<number, string>,
  store: (b: PartitionBatch, generation: number) => boolean = () => true,
) {
  const seen: { partition: number; offsets: string[]; generation: number }[] = [];
  const joins: Record<string, readonly number[]>[] = [];
  const fatal: MeterlineError[] = [];
  let generation = 0;
  const consumer = new ExternalOffsetsConsumer({
    kafka,
    groupId,
    topics: [topic],
    readPositions: async () => [...stored].map(([partition, nextOffset]) => ({ partition, nextOffset })),
    onAssigned: (assignment) => {
      generation += 1;
      joins.push(Object.fromEntries(assignment));
    },
    onBatch: async (batch) => {
      seen.push({ partition: batch.partition, offsets: batch.messages.map((m) => m.offset), generation });
      if (store(batch, generation)) stored.set(batch.partition, batch.nextOffset);
    },
    onSkipped: (_, partition, nextOffset) => void stored.set(partition, nextOffset),
    logger: quiet,
    consumerConfig: { maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 500 },
    onFatal: (e) => fatal.push(e),
  });
  consumers.push(consumer);
  return { consumer, seen, joins, fatal };
}

const firstOffsets = (seen: { partition: number; offsets: string[] }[], partition: number) =>
  seen.find((s) => s.partition === partition && s.offsets.length > 0)?.offsets[0];

describe('ExternalOffsetsConsumer', () => {
  it('resumes every partition at its stored position, not at the offsets Kafka has committed for the group', async () => {
    const topic = await topicWith(3, 20);
    const groupId = uniqueName('it.extoff.group');
    // Kafka says "all done" for the group; the store says otherwise, and the store wins.
    await admin.setOffsets({ groupId, topic, partitions: [0, 1, 2].map((partition) => ({ partition, offset: '20' })) });
    const stored = new Map([
      [0, '5'],
      [1, '20'],
    ]);
    const { consumer, seen, fatal } = consumerOf(topic, groupId, stored);
    await consumer.start();

    await waitFor(() => stored.get(0) === '20' && stored.get(2) === '20', { timeoutMs: 30_000, message: 'partitions 0 and 2 loaded to the end' });
    expect(firstOffsets(seen, 0)).toBe('5');
    expect(firstOffsets(seen, 1)).toBeUndefined();
    // Never stored: from the beginning of the partition.
    expect(firstOffsets(seen, 2)).toBe('0');
    expect(seen.filter((s) => s.partition === 0).flatMap((s) => s.offsets)).toEqual(Array.from({ length: 15 }, (_, i) => String(i + 5)));
    expect(consumer.isHealthy()).toBe(true);
    expect(fatal).toEqual([]);
  });

  it('after a rebalance, re-reads what was handed over but not stored, from the stored position', async () => {
    const topic = await topicWith(2, 50);
    const groupId = uniqueName('it.extoff.group');
    const stored = new Map<number, string>();
    // Until the rebalance the first member stores nothing of partition 1: as if its batches were still buffered.
    const first = consumerOf(topic, groupId, stored, (b, generation) => b.partition === 0 || generation > 1);
    await first.consumer.start();
    await waitFor(() => stored.get(0) === '50' && first.seen.some((s) => s.partition === 1), { timeoutMs: 30_000, message: 'first member consumed both' });

    const second = consumerOf(topic, groupId, stored);
    await second.consumer.start();
    await waitFor(() => stored.get(1) === '50', { timeoutMs: 45_000, message: 'partition 1 stored after the rebalance' });

    // Whoever owns partition 1 after the rebalance read it from the stored position (nothing stored: offset 0).
    const afterRebalance = [...first.seen.filter((s) => s.generation > 1), ...second.seen].filter((s) => s.partition === 1);
    expect(afterRebalance[0]?.offsets[0]).toBe('0');
    expect(afterRebalance.flatMap((s) => s.offsets)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(first.joins.length).toBeGreaterThanOrEqual(2);
    expect([...first.fatal, ...second.fatal]).toEqual([]);
  }, 90_000);

  it('stores positions past transaction markers, so they end level with the topic', async () => {
    const topic = await topicWith(1, 0);
    const txProducer = kafka.producer({ transactionalId: uniqueName('it.extoff.txn'), idempotent: true, maxInFlightRequests: 1 });
    await txProducer.connect();
    try {
      for (let t = 0; t < 3; t++) {
        const txn = await txProducer.transaction();
        await txn.send({ topic, acks: -1, messages: [{ key: 'k', value: `t${t}-a` }, { key: 'k', value: `t${t}-b` }] });
        await txn.commit();
      }
      const aborted = await txProducer.transaction();
      await aborted.send({ topic, acks: -1, messages: [{ key: 'k', value: 'aborted' }] });
      await aborted.abort();
    } finally {
      await txProducer.disconnect();
    }
    const [end] = await admin.fetchTopicOffsets(topic);
    const stored = new Map<number, string>();
    const { consumer, seen } = consumerOf(topic, uniqueName('it.extoff.group'), stored);
    await consumer.start();

    await waitFor(() => stored.get(0) === end?.high, { timeoutMs: 30_000, message: `stored position ${end?.high} (the topic's end)` });
    expect(seen.flatMap((s) => s.offsets)).toHaveLength(6);
  });
});
