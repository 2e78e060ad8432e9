import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { ok, Pipeline, step, transientError, type Item } from '@meterline/stream';
import type { ConsumedRecord, RecordContext } from './consumed-record';
import { ConsumerRunner } from './consumer-runner';
import { DlqWriter } from './dlq-writer';
import type { Log } from './log';
import type { AvroProducer } from './producer';
import type { TopicHandle } from './topic-handle';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Reads a topic from the beginning, decoded, through the real consumer runner (read_committed, registry lookups),
 * until `count` records arrived, then `settleMs` longer so that a record too many would show up too. For tools and
 * tests that check what a topic holds; uses a throwaway consumer group.
 */
export async function readRecords<K, V>(
  kafka: Kafka,
  producer: AvroProducer,
  topic: TopicHandle<K, V>,
  count: number,
  { timeoutMs = 30_000, settleMs = 500 }: { timeoutMs?: number; settleMs?: number } = {},
): Promise<ConsumedRecord<K, V>[]> {
  const seen: ConsumedRecord<K, V>[] = [];
  let done: () => void = () => undefined;
  const enough = new Promise<void>((resolve) => (done = resolve));
  const runner = new ConsumerRunner({
    kafka,
    groupId: `read-records-${randomUUID()}`,
    input: topic,
    pipeline: Pipeline.of<ConsumedRecord<K, V>, RecordContext>().then(step('keep', (r: ConsumedRecord<K, V>) => ok(r))),
    sink: {
      async write(items: readonly Item<ConsumedRecord<K, V>, RecordContext>[]) {
        seen.push(...items.map((i) => i.value));
        if (seen.length >= count) done();
        return [];
      },
    },
    dlq: new DlqWriter(producer.producer),
    logger: quiet,
    consumerConfig: { maxWaitTimeInMs: 250 },
    onFatal: () => done(),
  });
  await runner.start();
  let timer: NodeJS.Timeout | undefined;
  try {
    if (count > 0) {
      await Promise.race([
        enough,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(transientError('READ_TIMEOUT', `only ${seen.length} of ${count} records on ${topic.name} within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    }
    await new Promise((r) => setTimeout(r, settleMs));
  } finally {
    clearTimeout(timer);
    await runner.stop();
  }
  return seen;
}
