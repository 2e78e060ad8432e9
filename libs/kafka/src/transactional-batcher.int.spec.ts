import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { standaloneKafka, type StandaloneKafka } from '@meterline/local-stack';
import { ok, Pipeline, step } from '@meterline/stream';
import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import type { ConsumedRecord, RecordContext } from './consumed-record';
import { ConsumerRunner } from './consumer-runner';
import { DlqWriter } from './dlq-writer';
import { createKafka } from './kafka-client';
import type { Log } from './log';
import { AvroProducer } from './producer';
import { SchemaRegistryClient } from './schema-registry';
import { CollectingSink } from './test-support/collecting-sink';
import { ensureTopics } from './topic-admin';
import { openTopic, type TopicHandle } from './topic-handle';
import { TransactionalBatcher } from './transactional-batcher';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

interface Reading {
  node_id: string;
  seq: number;
}
const readingSchema = {
  type: 'record',
  name: 'Reading',
  namespace: 'io.meterline.test',
  fields: [
    { name: 'node_id', type: 'string' },
    { name: 'seq', type: 'long' },
  ],
} as const;

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

async function setUp(brokers: readonly string[]) {
  const kafka = createKafka({ brokers, clientId: 'batcher-int-spec', logger: quiet, connectionTimeoutMs: 1_000 });
  const admin = kafka.admin();
  await admin.connect();
  const name = uniqueName('it.txn');
  await ensureTopics(admin, [
    { name, partitions: 3, configs: { 'cleanup.policy': 'delete' } },
    { name: `${name}.dlq`, partitions: 1, configs: { 'cleanup.policy': 'delete' } },
  ]);
  const topic = await openTopic<string, Reading>(new SchemaRegistryClient({ url: stackEndpoints().schemaRegistryUrl }), {
    name,
    dlq: `${name}.dlq`,
    keySubject: `${name}-key`,
    valueSubject: `${name}-value`,
    keySchema: 'string',
    valueSchema: readingSchema as never,
    tombstones: false,
  });
  return { kafka, admin, topic };
}

const batchOf = (topic: TopicHandle<string, Reading>, from: number, count: number) => [
  {
    topic: topic.name,
    messages: Array.from({ length: count }, (_, i) => ({
      key: topic.key.encode(`node-${(from + i) % 7}`),
      value: topic.value.encode({ node_id: `node-${(from + i) % 7}`, seq: from + i }),
    })),
  },
];

/** Reads the topic as our consumers do (read_committed: aborted transactions are invisible). */
async function readCommitted(kafka: ReturnType<typeof createKafka>, topic: TopicHandle<string, Reading>) {
  const producer = new AvroProducer(kafka);
  await producer.connect();
  const sink = new CollectingSink<Reading>();
  const runner = new ConsumerRunner({
    kafka,
    groupId: uniqueName('it.txn.reader'),
    input: topic,
    pipeline: Pipeline.of<ConsumedRecord<string, Reading>, RecordContext>().then(step('value', (r: ConsumedRecord<string, Reading>) => ok(r.value))),
    sink,
    dlq: new DlqWriter(producer.producer),
    logger: quiet,
    onFatal: (e) => {
      throw e;
    },
  });
  await runner.start();
  return { sink, stop: async () => (await runner.stop(), await producer.disconnect()) };
}

describe('TransactionalBatcher against a real broker', () => {
  it.each([1, 3])('coalesces concurrent callers into few transactions, %d at a time, and commits all of their records', async (concurrency) => {
    const { kafka, admin, topic } = await setUp(stackEndpoints().kafkaBrokers);
    const batcher = new TransactionalBatcher(kafka, { transactionalId: uniqueName('it.txn.id'), logger: quiet, concurrency });
    await batcher.connect();
    await Promise.all(Array.from({ length: 200 }, (_, c) => batcher.send(batchOf(topic, c * 50, 50))));
    expect(batcher.stats.messages).toBe(10_000);
    expect(batcher.stats.transactions).toBeLessThan(50);

    const reader = await readCommitted(kafka, topic);
    await waitFor(() => reader.sink.items.length >= 10_000, { message: '10,000 committed records' });
    expect(new Set(reader.sink.values.map((r) => r.seq)).size).toBe(10_000);
    await reader.stop();
    await batcher.disconnect();
    await admin.disconnect();
  });

  describe('across a broker outage', () => {
    let dir: string;
    let broker: StandaloneKafka;

    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'meterline-txn-'));
      const [kafkaPort = 0, controllerPort = 0] = await freePorts(2);
      broker = await standaloneKafka({ dir, kafkaPort, controllerPort });
      await broker.start();
    });

    afterAll(async () => {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('rejects callers with a transient error while the broker is down, leaves nothing visible, and recovers', async () => {
      const { kafka, admin, topic } = await setUp(broker.brokers);
      await admin.disconnect();
      const batcher = new TransactionalBatcher(kafka, {
        transactionalId: uniqueName('it.txn.id'),
        transactionTimeoutMs: 8_000,
        logger: quiet,
      });
      await batcher.connect();
      await batcher.send(batchOf(topic, 0, 100));

      await broker.stop();
      await expect(batcher.send(batchOf(topic, 1_000, 100))).rejects.toMatchObject({ retriable: true });

      await broker.start();
      await waitFor(
        async () => batcher.send(batchOf(topic, 2_000, 100)).then(() => true, () => false),
        { timeoutMs: 60_000, intervalMs: 1_000, message: 'a send to succeed after the broker returned' },
      );

      const reader = await readCommitted(kafka, topic);
      await waitFor(() => reader.sink.items.length >= 200, { timeoutMs: 60_000, message: 'the committed records' });
      await new Promise((r) => setTimeout(r, 1_500));
      const seqs = reader.sink.values.map((r) => r.seq);
      // The first and the last batch, each once; nothing of the batch sent during the outage.
      expect(seqs.filter((s) => s >= 1_000 && s < 2_000)).toEqual([]);
      expect(seqs.filter((s) => s < 100).length).toBe(100);
      expect(seqs.filter((s) => s >= 2_000).length).toBe(100);
      await reader.stop();
      await batcher.disconnect();
    }, 180_000);
  });
});
