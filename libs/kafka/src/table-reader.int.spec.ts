import { nodeMetadataTopic, topicDeclarations, type NodeMetadata } from '@meterline/schemas';
import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import { createKafka } from './kafka-client';
import type { Log } from './log';
import { AvroProducer, emit } from './producer';
import { SchemaRegistryClient } from './schema-registry';
import { TableReader } from './table-reader';
import { ensureTopics } from './topic-admin';
import { describeTopic, openTopic } from './topic-handle';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'table-reader-spec', logger: quiet });
const admin = kafka.admin();
const producer = new AvroProducer(kafka);

beforeAll(async () => {
  await admin.connect();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

async function metadataTopic() {
  const prefix = `${uniqueName('table')}.`;
  await ensureTopics(admin, topicDeclarations(prefix).filter((d) => d.name.includes('metadata')));
  return openTopic(new SchemaRegistryClient({ url: schemaRegistryUrl }), describeTopic(nodeMetadataTopic, prefix));
}

const meta = (node: string, version: number): NodeMetadata => ({
  node_id: node,
  instance_type: `type-${version}`,
  zone: `zone-${version % 3}`,
  labels: {},
  updated_at: 1_700_000_000_000 + version,
});

describe('TableReader', () => {
  it('is restored only once everything already in the topic has been applied, then keeps applying updates', async () => {
    const topic = await metadataTopic();
    // 300 nodes, three versions each, then 20 of them removed: the expected table, computed here from the inputs.
    const expected = new Map<string, NodeMetadata>();
    for (let version = 1; version <= 3; version++) {
      const batch = Array.from({ length: 300 }, (_, n) => meta(`node-${n}`, version));
      for (const m of batch) expected.set(m.node_id, m);
      await producer.send(batch.map((m) => emit(topic, m.node_id, m)));
    }
    const removed = Array.from({ length: 20 }, (_, n) => `node-${n * 7}`);
    await producer.send(removed.map((node) => emit(topic, node, null)));
    for (const node of removed) expected.delete(node);

    const table = new Map<string, NodeMetadata>();
    const reader = new TableReader({
      kafka,
      admin,
      topic,
      logger: quiet,
      onChange: (key, value) => (value === null ? table.delete(key) : table.set(key, { ...value })),
    });
    await reader.start();
    expect(reader.isRestored).toBe(true);
    expect(table).toEqual(expected);

    await producer.send([emit(topic, 'node-1000', meta('node-1000', 9))]);
    await waitFor(() => table.has('node-1000'), { message: 'the update after restore' });
    await reader.stop();
  });

  it('gets past aborted transactions at the end of the topic, whose records it never applies', async () => {
    const topic = await metadataTopic();
    await producer.send([emit(topic, 'kept', meta('kept', 1))]);
    const transactional = kafka.producer({ transactionalId: uniqueName('table-abort'), idempotent: true, maxInFlightRequests: 1 });
    await transactional.connect();
    const txn = await transactional.transaction();
    await txn.send({ topic: topic.name, messages: [{ key: topic.key.encode('aborted'), value: topic.value.encode(meta('aborted', 1)) }] });
    await txn.abort();
    await transactional.disconnect();
    // The aborted record and the markers occupy offsets beyond the one committed record.
    const high = (await admin.fetchTopicOffsets(topic.name)).reduce((n, p) => n + Number(p.high), 0);
    expect(high).toBeGreaterThan(1);

    const table = new Map<string, NodeMetadata | null>();
    const reader = new TableReader({ kafka, admin, topic, logger: quiet, onChange: (key, value) => table.set(key, value) });
    await reader.start();
    expect([...table.keys()]).toEqual(['kept']);
    await reader.stop();
  }, 60_000);

  it('is restored at once on an empty topic', async () => {
    const topic = await metadataTopic();
    const reader = new TableReader({ kafka, admin, topic, logger: quiet, onChange: () => undefined });
    await reader.start();
    expect(reader.isRestored).toBe(true);
    await reader.stop();
  });
});
