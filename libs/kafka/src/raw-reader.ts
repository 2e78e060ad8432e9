import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { transientError } from '@meterline/stream';

export interface RawMessage {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** Header values as text (DLQ headers are all text). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads the first `count` messages of a topic as bytes, without decoding: for dead-letter topics (original bytes plus
 * error headers, no schema) and for tools that inspect them. Uses a throwaway consumer group.
 */
export async function readRawMessages(
  kafka: Kafka,
  topic: string,
  count: number,
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<RawMessage[]> {
  const consumer = kafka.consumer({ groupId: `raw-reader-${randomUUID()}`, maxWaitTimeInMs: 250 });
  const seen: RawMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => undefined;
    const enough = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) {
          if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
        }
        seen.push({ partition, offset: message.offset, key: message.key, value: message.value, headers });
        if (seen.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(transientError('READ_TIMEOUT', `only ${seen.length} of ${count} messages on ${topic} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    await Promise.race([enough, timeout]).finally(() => clearTimeout(timer));
  } finally {
    await consumer.disconnect();
  }
  return seen;
}
