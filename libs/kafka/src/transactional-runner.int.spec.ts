import { poisonError, type Item } from '@meterline/stream';
import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import type { ConsumedRecord, RecordContext } from './consumed-record';
import { createKafka } from './kafka-client';
import type { Log } from './log';
import { AvroProducer, emit, encodeEmit } from './producer';
import { readRawMessages } from './raw-reader';
import { readRecords } from './read-records';
import { SchemaRegistryClient, type AvroSchema } from './schema-registry';
import { ensureTopics } from './topic-admin';
import { openTopic, type TopicHandle } from './topic-handle';
import { readPartitions } from './partition-reader';
import { TransactionalRunner, type PartitionTask } from './transactional-runner';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'txn-runner-spec', logger: quiet });
const admin = kafka.admin();
const producer = new AvroProducer(kafka);
const registry = new SchemaRegistryClient({ url: schemaRegistryUrl });

interface Counted {
  key: string;
  count: number;
}
const countedSchema = {
  type: 'record',
  name: 'Counted',
  namespace: 'io.meterline.test',
  fields: [
    { name: 'key', type: 'string' },
    { name: 'count', type: 'long' },
  ],
} as unknown as AvroSchema;

async function topic<V>(name: string, valueSchema: AvroSchema, partitions: number, compact = false): Promise<TopicHandle<string, V>> {
  await ensureTopics(admin, [
    { name, partitions, configs: { 'cleanup.policy': compact ? 'compact' : 'delete' } },
    { name: `${name}.dlq`, partitions: 1, configs: { 'cleanup.policy': 'delete' } },
  ]);
  return openTopic<string, V>(registry, {
    name,
    dlq: `${name}.dlq`,
    keySubject: `${name}-key`,
    valueSubject: `${name}-value`,
    keySchema: 'string',
    valueSchema,
    tombstones: compact,
  });
}

beforeAll(async () => {
  await admin.connect();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await admin.disconnect();
});

describe('TransactionalRunner (exactly-once consume → process → produce)', () => {
  it('counts every input exactly once across a failed transaction and a restart that restores state', async () => {
    const base = uniqueName('it.eos');
    const input = await topic<string>(`${base}.in`, 'string', 3);
    const output = await topic<Counted>(`${base}.out`, countedSchema, 3);
    const changelog = await topic<number | null>(`${base}.changelog`, 'long', 3, true);
    const missing = { ...output, name: `${base}.does-not-exist` } as TopicHandle<string, Counted>;

    // 300 inputs over 10 keys; what the counts must end at, computed here from the inputs.
    const keys = Array.from({ length: 300 }, (_, i) => `k${(i * 7) % 10}`);
    const expected = new Map<string, number>();
    for (const k of keys) expected.set(k, (expected.get(k) ?? 0) + 1);
    await producer.send(keys.map((k, i) => emit(input, k, `${k}#${i}`)));

    /**
     * A counting task whose state is restored from the changelog, which it writes in every transaction: entries of
     * input partition p go to changelog partition p, and `prepare` reads back exactly the partitions being opened.
     */
    const counting = (failAt: number | undefined) => {
      const counts = new Map<number, Map<string, number>>();
      const restoredPartitions: number[][] = [];
      const prepare = async (partitions: readonly number[]) => {
        restoredPartitions.push([...partitions]);
        for (const p of partitions) counts.set(p, new Map());
        await readPartitions({
          kafka,
          admin,
          topic: changelog,
          partitions,
          apply: (partition, key, value) => {
            const [p, k] = key.split('/');
            // Entries live in their input partition's changelog partition, so restore needs no other.
            expect(Number(p)).toBe(partition);
            if (value === null) counts.get(partition)?.delete(k ?? '');
            else counts.get(partition)?.set(k ?? '', value);
          },
        });
      };
      let chunks = 0;
      const openTask = async (partition: number): Promise<PartitionTask<string, string>> => {
        const mine = counts.get(partition);
        if (!mine) throw new Error(`partition ${partition} was opened without being prepared`);
        return {
          process(records: readonly Item<ConsumedRecord<string, string>, RecordContext>[]) {
            chunks++;
            const emits = [];
            const changed = new Map<string, number>();
            for (const r of records) {
              const key = r.value.key ?? '';
              const count = (mine.get(key) ?? 0) + 1;
              mine.set(key, count);
              changed.set(key, count);
              emits.push(emit(output, key, { key, count }));
            }
            // The failure comes inside the transaction: its sends and state changes must all vanish.
            if (failAt !== undefined && chunks === failAt) emits.push(emit(missing, 'x', { key: 'x', count: 0 }));
            const state = [
              {
                topic: changelog.name,
                messages: [...changed].map(([k, c]) => ({ ...encodeEmit(emit(changelog, `${partition}/${k}`, c)), partition })),
              },
            ];
            return { emits, rejected: [], state };
          },
        };
      };
      return { prepare, openTask, restoredPartitions };
    };

    const groupId = uniqueName('it.eos.group');
    const transactionalIdPrefix = uniqueName('it.eos.txn');
    const fatal: unknown[] = [];
    const failing = counting(3);
    const first = new TransactionalRunner({
      kafka, groupId, input, transactionalIdPrefix, chunkSize: 20, logger: quiet,
      ...failing,
      onFatal: (e) => void fatal.push(e),
    });
    await first.start();
    await waitFor(() => fatal.length > 0, { timeoutMs: 60_000, message: 'the failing transaction' });
    expect(fatal[0]).toMatchObject({ code: 'TRANSACTION_FAILED', kind: 'fatal' });
    await first.stop();

    const restarted = counting(undefined);
    const second = new TransactionalRunner({
      kafka, groupId, input, transactionalIdPrefix, chunkSize: 20, logger: quiet,
      ...restarted,
      onFatal: (e) => {
        throw e;
      },
    });
    await second.start();
    const outputs = await readRecords(kafka, producer, output, 300, { timeoutMs: 60_000, settleMs: 2_000 });
    await second.stop();

    // The sole member owns all three partitions and restores them in one read, before its first record.
    expect(restarted.restoredPartitions).toEqual([[0, 1, 2]]);
    // Exactly once: 300 outputs, and for each key the counts 1..n, each once, ending at the input count.
    expect(outputs).toHaveLength(300);
    for (const [key, n] of expected) {
      const seen = outputs.filter((o) => o.value.key === key).map((o) => o.value.count).sort((a, b) => a - b);
      expect({ key, seen }).toEqual({ key, seen: Array.from({ length: n }, (_, i) => i + 1) });
    }
  }, 180_000);

  it('sends records the task rejects to the dead-letter topic in the same transaction', async () => {
    const base = uniqueName('it.eos.dlq');
    const input = await topic<string>(`${base}.in`, 'string', 1);
    const output = await topic<Counted>(`${base}.out`, countedSchema, 1);
    await producer.send(['good', 'bad', 'good'].map((v, i) => emit(input, `k${i}`, v)));
    const runner = new TransactionalRunner({
      kafka,
      groupId: uniqueName('it.eos.dlq.group'),
      input,
      transactionalIdPrefix: uniqueName('it.eos.dlq.txn'),
      logger: quiet,
      openTask: async () => ({
        process: (records) => ({
          emits: records.filter((r) => r.value.value === 'good').map((r) => emit(output, r.value.key ?? '', { key: r.value.value, count: 1 })),
          rejected: records
            .filter((r) => r.value.value === 'bad')
            .map((r) => ({ ctx: r.ctx, step: 'check', error: poisonError('BAD', 'a bad record') })),
        }),
      }),
      onFatal: (e) => {
        throw e;
      },
    });
    await runner.start();
    const outputs = await readRecords(kafka, producer, output, 2);
    expect(outputs).toHaveLength(2);
    const [letter] = await readRawMessages(kafka, input.dlq, 1);
    expect(letter?.headers).toMatchObject({ 'error.code': 'BAD', 'source.offset': '1', 'error.step': 'check' });
    await runner.stop();
  });

  it('punctuates on the wall clock, committing what a task releases even when no record arrives', async () => {
    const base = uniqueName('it.eos.punct');
    const input = await topic<string>(`${base}.in`, 'string', 1);
    const output = await topic<Counted>(`${base}.out`, countedSchema, 1);
    await producer.send(['a', 'b', 'c'].map((v) => emit(input, v, v)));
    const runner = new TransactionalRunner({
      kafka,
      groupId: uniqueName('it.eos.punct.group'),
      input,
      transactionalIdPrefix: uniqueName('it.eos.punct.txn'),
      punctuateIntervalMs: 200,
      logger: quiet,
      openTask: async () => {
        const waiting: string[] = [];
        return {
          // Holds everything back; only the punctuation lets it out.
          process: (records) => {
            waiting.push(...records.map((r) => r.value.value));
            return { emits: [], rejected: [] };
          },
          punctuate: () => ({ emits: waiting.splice(0).map((v) => emit(output, v, { key: v, count: 1 })), rejected: [] }),
        };
      },
      onFatal: (e) => {
        throw e;
      },
    });
    await runner.start();
    const outputs = await readRecords(kafka, producer, output, 3);
    expect(outputs.map((o) => o.value.key).sort()).toEqual(['a', 'b', 'c']);
    await runner.stop();
  });

  it('opens every assigned partition when it joins, so restored state is looked after even if no record comes', async () => {
    const base = uniqueName('it.eos.idle');
    const input = await topic<string>(`${base}.in`, 'string', 3);
    const punctuated = new Set<number>();
    const prepared: number[][] = [];
    const runner = new TransactionalRunner({
      kafka,
      groupId: uniqueName('it.eos.idle.group'),
      input,
      transactionalIdPrefix: uniqueName('it.eos.idle.txn'),
      punctuateIntervalMs: 100,
      logger: quiet,
      prepare: async (partitions) => void prepared.push([...partitions]),
      openTask: async (partition) => ({
        process: () => ({ emits: [], rejected: [] }),
        punctuate: () => {
          punctuated.add(partition);
          return { emits: [], rejected: [] };
        },
      }),
      onFatal: (e) => {
        throw e;
      },
    });
    await runner.start();
    try {
      // The topic is empty: no batch ever arrives, yet all three tasks are restored and punctuated.
      await waitFor(() => punctuated.size === 3, { timeoutMs: 30_000, message: 'punctuation of all three partitions' });
      expect(prepared).toEqual([[0, 1, 2]]);
    } finally {
      await runner.stop();
    }
  });
});
