import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, type KafkaMessage } from 'kafkajs';
import { findJava, stackStatus } from '@meterline/local-stack';
import { ok, Pipeline, step, transientError, type Item, type MeterlineError } from '@meterline/stream';
import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import type { ConsumedRecord, RecordContext } from './consumed-record';
import { ConsumerRunner } from './consumer-runner';
import { DlqWriter } from './dlq-writer';
import { createKafka } from './kafka-client';
import type { Log } from './log';
import { AvroProducer, emit } from './producer';
import { SchemaRegistryClient, type AvroSchema } from './schema-registry';
import { kafkaSink } from './sink';
import { ensureTopics } from './topic-admin';
import { openTopic, type TopicHandle } from './topic-handle';
import { CollectingSink } from './test-support/collecting-sink';
import { frame } from './wire-format';

interface Sample {
  node_id: string;
  seq: number;
  value: number;
  capacity: number | null;
  labels: Record<string, string>;
}

const sampleV1 = {
  type: 'record',
  name: 'Sample',
  namespace: 'io.meterline.test',
  fields: [
    { name: 'node_id', type: 'string' },
    { name: 'seq', type: 'long' },
    { name: 'value', type: 'double' },
    { name: 'capacity', type: ['null', 'double'], default: null },
    { name: 'labels', type: { type: 'map', values: 'string' }, default: {} },
  ],
} as const;

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'kafka-int-spec', logger: quiet });
const registry = new SchemaRegistryClient({ url: schemaRegistryUrl });
const admin = kafka.admin();
const producer = new AvroProducer(kafka);
const running: ConsumerRunner<unknown, unknown, unknown>[] = [];

beforeAll(async () => {
  await admin.connect();
  await producer.connect();
});

afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await producer.disconnect();
  await admin.disconnect();
});

async function sampleTopic(partitions = 3, valueSchema: AvroSchema = sampleV1 as unknown as AvroSchema): Promise<TopicHandle<string, Sample>> {
  const name = uniqueName('it.sample');
  await ensureTopics(admin, [
    { name, partitions, configs: { 'cleanup.policy': 'delete' } },
    { name: `${name}.dlq`, partitions, configs: { 'cleanup.policy': 'delete' } },
  ]);
  return openTopic<string, Sample>(registry, description(name, valueSchema));
}

const description = (name: string, valueSchema: AvroSchema) => ({
  name,
  dlq: `${name}.dlq`,
  keySubject: `${name}-key`,
  valueSubject: `${name}-value`,
  keySchema: 'string',
  valueSchema,
  tombstones: false,
});

const sample = (seq: number): Sample => ({
  node_id: `node-${seq % 17}`,
  seq,
  value: seq / 3,
  capacity: seq % 5 === 0 ? null : 100 + seq,
  labels: seq % 2 ? { zone: `z${seq % 3}` } : {},
});

const identity = <T>() =>
  Pipeline.of<ConsumedRecord<string, T>, RecordContext>().then(
    step('value', (r: ConsumedRecord<string, T>) => ok(r.value)),
  );

/** Starts a runner that collects what it consumes; the caller stops it. */
async function collect<T>(input: TopicHandle<string, T>, groupId = uniqueName('it.group')) {
  const sink = new CollectingSink<T>();
  const fatal: Error[] = [];
  const runner = new ConsumerRunner({
    kafka,
    groupId,
    input,
    pipeline: identity<T>(),
    sink,
    dlq: new DlqWriter(producer.producer),
    logger: quiet,
    onFatal: (e) => fatal.push(e),
  });
  running.push(runner as ConsumerRunner<unknown, unknown, unknown>);
  await runner.start();
  return { sink, runner, fatal, groupId };
}

/** Reads raw records (the DLQ holds original bytes, not Avro) until `count` arrived. */
async function readRaw(topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = new Kafka({ brokers: [...kafkaBrokers], logLevel: 0 }).consumer({ groupId: uniqueName('it.raw') });
  const seen: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
  try {
    await waitFor(() => seen.length >= count, { timeoutMs: 30_000, message: `${count} records on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

describe('libs/kafka against the local Kafka and Apicurio registry', () => {
  it('relays 10,000 Avro records complete, in order per partition, with equal values', async () => {
    const source = await sampleTopic(3);
    const target = await sampleTopic(3);
    const sent = Array.from({ length: 10_000 }, (_, i) => sample(i));
    for (let i = 0; i < sent.length; i += 1_000) {
      await producer.send(sent.slice(i, i + 1_000).map((s) => emit(source, s.node_id, s)));
    }

    const relay = new ConsumerRunner({
      kafka,
      groupId: uniqueName('it.relay'),
      input: source,
      pipeline: identity<Sample>(),
      sink: kafkaSink(producer, (s: Sample) => emit(target, s.node_id, s)),
      dlq: new DlqWriter(producer.producer),
      logger: quiet,
      onFatal: (e) => {
        throw e;
      },
    });
    running.push(relay as ConsumerRunner<unknown, unknown, unknown>);
    await relay.start();
    const { sink } = await collect(target);
    await waitFor(() => sink.items.length >= sent.length, { timeoutMs: 60_000, message: '10,000 relayed records' });

    expect(sink.items).toHaveLength(sent.length);
    const bySeq = new Map(sink.values.map((v) => [v.seq, v]));
    expect(bySeq.size).toBe(sent.length);
    for (const s of sent) expect({ ...bySeq.get(s.seq) }).toEqual(s);

    // A node's records share a partition, and each partition delivers them in the order they were produced.
    const partitionsByNode = new Map<string, Set<number>>();
    const seqsByPartition = new Map<number, number[]>();
    for (const { value, ctx } of sink.items) {
      partitionsByNode.set(value.node_id, (partitionsByNode.get(value.node_id) ?? new Set()).add(ctx.partition));
      seqsByPartition.set(ctx.partition, [...(seqsByPartition.get(ctx.partition) ?? []), value.seq]);
    }
    for (const partitions of partitionsByNode.values()) expect(partitions.size).toBe(1);
    for (const seqs of seqsByPartition.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('dead-letters corrupt records with their reason while processing the good ones around them', async () => {
    const topic = await sampleTopic(1);
    const good = (seq: number) => ({ key: topic.key.encode('n1'), value: topic.value.encode(sample(seq)) });
    const body = topic.value.encode(sample(99));
    await producer.sendEncoded([
      {
        topic: topic.name,
        messages: [
          good(1),
          { key: topic.key.encode('n1'), value: Buffer.from([7, 0, 0, 0, 1, 2, 3]) },
          good(2),
          { key: topic.key.encode('n1'), value: frame(987_654_321, body.subarray(5)) },
          good(3),
          { key: topic.key.encode('n1'), value: body.subarray(0, body.length - 4) },
          good(4),
          { key: topic.key.encode('n1'), value: null },
          good(5),
        ],
      },
    ]);
    const { sink, runner, fatal } = await collect(topic);
    await waitFor(() => sink.items.length >= 5, { timeoutMs: 30_000, message: 'the good records' });
    expect(fatal).toEqual([]);
    expect(sink.values.map((v) => v.seq)).toEqual([1, 2, 3, 4, 5]);

    const letters = await readRaw(topic.dlq, 4);
    const headers = letters.map((m) => Object.fromEntries(Object.entries(m.headers ?? {}).map(([k, v]) => [k, String(v)])));
    expect(headers.map((h) => [h['error.code'], h['source.offset']])).toEqual([
      ['DECODE_BAD_MAGIC', '1'],
      ['DECODE_UNKNOWN_SCHEMA', '3'],
      ['DECODE_TRUNCATED', '5'],
      ['NULL_VALUE', '7'],
    ]);
    for (const h of headers) {
      expect(h['source.topic']).toBe(topic.name);
      expect(h['source.partition']).toBe('0');
      expect(h['error.message']).toMatch(/\w+/);
    }
    // The original bytes are kept exactly.
    expect([...(letters[0]?.value ?? [])]).toEqual([7, 0, 0, 0, 1, 2, 3]);
    expect(runner.isHealthy()).toBe(true);
  });

  it('puts every key on the partition the Java producer would choose', async () => {
    const topic = await sampleTopic(6);
    const nodes = Array.from({ length: 300 }, (_, i) => `node-${i}-${(i * 7919).toString(36)}`);
    await producer.send(nodes.map((node, seq) => emit(topic, node, { ...sample(seq), node_id: node })));
    const { sink } = await collect(topic);
    await waitFor(() => sink.items.length >= nodes.length, { message: '300 keyed records' });

    // The partition is a function of the key bytes as they go on the wire: Avro, framed with the schema id.
    const keyBytes = nodes.map((node) => topic.key.encode(node).toString('hex'));
    const { endpoints } = await stackStatus();
    const javaPartitions = execFileSync(
      findJava(17).executable,
      ['-cp', `${endpoints.kafkaLibsDir}/*`, join(__dirname, 'test-support', 'JavaPartition.java'), '6'],
      { input: keyBytes.join('\n') },
    )
      .toString()
      .trim()
      .split('\n')
      .map(Number);
    const ours = new Map(sink.items.map((i) => [i.value.node_id, i.ctx.partition]));
    expect(nodes.map((node) => ours.get(node))).toEqual(javaPartitions);
    expect(new Set(javaPartitions).size).toBe(6);
  });

  it('does not deliver committed records again after a consumer restart', async () => {
    const topic = await sampleTopic(2);
    await producer.send(Array.from({ length: 50 }, (_, i) => emit(topic, `n${i % 4}`, sample(i))));
    const first = await collect(topic);
    await waitFor(() => first.sink.items.length >= 50, { timeoutMs: 30_000, message: 'the first 50' });
    await first.runner.stop();

    await producer.send(Array.from({ length: 30 }, (_, i) => emit(topic, `n${i % 4}`, sample(100 + i))));
    const second = await collect(topic, first.groupId);
    await waitFor(() => second.sink.items.length >= 30, { timeoutMs: 30_000, message: 'the next 30' });
    // Give a wrongly re-delivered record time to show up before asserting there is none.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(second.sink.values.map((v) => v.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
  });

  it('retries a sink that fails transiently, then fails loudly without committing when it never recovers', async () => {
    const topic = await sampleTopic(1);
    await producer.send(Array.from({ length: 20 }, (_, i) => emit(topic, 'n1', sample(i))));
    const fast = { attempts: 3, initialDelayMs: 10, maxDelayMs: 20 };
    const groupId = uniqueName('it.flaky');

    // First: a sink that is down for two attempts of its first write, then recovers. Nothing is lost or duplicated.
    let failures = 2;
    const written: Sample[] = [];
    const recovering = new ConsumerRunner({
      kafka,
      groupId,
      input: topic,
      pipeline: identity<Sample>(),
      sink: {
        async write(items: readonly Item<Sample, RecordContext>[]) {
          if (failures-- > 0) throw transientError('WAREHOUSE_DOWN', 'connection refused');
          written.push(...items.map((i) => i.value));
          return [];
        },
      },
      dlq: new DlqWriter(producer.producer),
      logger: quiet,
      retry: fast,
      onFatal: (e) => {
        throw e;
      },
    });
    running.push(recovering as ConsumerRunner<unknown, unknown, unknown>);
    await recovering.start();
    await waitFor(() => written.length >= 20, { message: 'the 20 records after the sink recovered' });
    await recovering.stop();
    expect(written.map((s) => s.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));

    // Then: more records and a sink that never recovers. The runner gives up after its attempts and reports it.
    await producer.send(Array.from({ length: 5 }, (_, i) => emit(topic, 'n1', sample(100 + i))));
    const fatal: MeterlineError[] = [];
    const broken = new ConsumerRunner({
      kafka,
      groupId,
      input: topic,
      pipeline: identity<Sample>(),
      sink: {
        async write() {
          throw transientError('WAREHOUSE_DOWN', 'connection refused');
        },
      },
      dlq: new DlqWriter(producer.producer),
      logger: quiet,
      retry: fast,
      onFatal: (e) => void fatal.push(e),
    });
    running.push(broken as ConsumerRunner<unknown, unknown, unknown>);
    await broken.start();
    await waitFor(() => fatal.length > 0, { message: 'the runner to give up' });
    expect(fatal[0]).toMatchObject({ code: 'RETRIES_EXHAUSTED', details: { attempts: 3, lastCode: 'WAREHOUSE_DOWN' } });
    expect(broken.state).toBe('failed');
    await broken.stop();

    // Nothing of the failed batch was committed: the next instance of the group gets exactly those 5 records.
    const next = await collect(topic, groupId);
    await waitFor(() => next.sink.items.length >= 5, { message: 'the uncommitted records again' });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(next.sink.values.map((v) => v.seq)).toEqual([100, 101, 102, 103, 104]);
  });

  it('rejects an incompatible schema change with a clear error and reads compatible versions both ways', async () => {
    const topic = await sampleTopic(1);
    const withField = (field: object): AvroSchema => ({ ...sampleV1, fields: [...sampleV1.fields, field] }) as AvroSchema;

    const incompatible = openTopic(registry, description(topic.name, withField({ name: 'zone', type: 'string' })));
    await expect(incompatible).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', kind: 'fatal' });
    await expect(incompatible).rejects.toThrow(/default/);

    type SampleV2 = Sample & { zone: string };
    const v2 = await openTopic<string, SampleV2>(
      registry,
      description(topic.name, withField({ name: 'zone', type: 'string', default: 'unknown' })),
    );
    expect(await v2.value.prepare()).not.toBe(await topic.value.prepare());

    await producer.send([emit(topic, 'n1', sample(1)), emit(v2, 'n1', { ...sample(2), zone: 'us-east4-a' })]);
    // An old reader skips the new field; a new reader fills in its default for old records.
    const oldReader = await collect(topic);
    const newReader = await collect(v2);
    await waitFor(() => oldReader.sink.items.length >= 2 && newReader.sink.items.length >= 2, { message: 'both readers' });
    expect(oldReader.sink.values.map((v) => ({ ...v }))).toEqual([sample(1), sample(2)]);
    expect(newReader.sink.values.map((v) => ({ ...v }))).toEqual([
      { ...sample(1), zone: 'unknown' },
      { ...sample(2), zone: 'us-east4-a' },
    ]);
  });

  it('creates topics idempotently and refuses a topic whose cleanup policy differs from its declaration', async () => {
    const name = uniqueName('it.topics');
    const declared = { name, partitions: 2, configs: { 'cleanup.policy': 'compact', 'retention.ms': '-1' } };
    expect(await ensureTopics(admin, [declared])).toEqual({ created: [name] });
    expect(await ensureTopics(admin, [declared])).toEqual({ created: [] });
    await expect(
      ensureTopics(admin, [{ ...declared, configs: { 'cleanup.policy': 'delete' } }]),
    ).rejects.toMatchObject({ code: 'TOPIC_MISMATCH' });
    await expect(ensureTopics(admin, [{ ...declared, partitions: 4 }])).rejects.toThrow(/2 partitions, declared 4/);
  });
});
