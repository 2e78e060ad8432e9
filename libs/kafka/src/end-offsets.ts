import type { Admin } from 'kafkajs';
import { classifyKafkaError } from './kafka-errors';
import { DEFAULT_RETRY, withRetry } from './retry';

/**
 * The end offset (high watermark) of every non-empty partition of a topic. Retried: right after a topic is created
 * the broker may still answer NOT_LEADER_OR_FOLLOWER for a partition its metadata already lists (seen at start-up).
 */
export function endOffsets(admin: Admin, topic: string, partitions?: ReadonlySet<number>): Promise<Map<number, bigint>> {
  return withRetry(
    `finding the end of ${topic}`,
    async () => {
      try {
        const ends = new Map<number, bigint>();
        for (const p of await admin.fetchTopicOffsets(topic)) {
          if ((partitions === undefined || partitions.has(p.partition)) && BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high));
        }
        return ends;
      } catch (err) {
        throw classifyKafkaError(err, `finding the end of ${topic}`);
      }
    },
    DEFAULT_RETRY,
  );
}
