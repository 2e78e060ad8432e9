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

/**
 * Per partition, how far a consumer group's committed offset is behind the end (from the beginning when it has
 * none). A transaction's commit marker takes an offset too, so a group that has read everything of a topic written in
 * transactions is 1 behind; callers decide what counts as caught up.
 */
export async function partitionLags(admin: Admin, groupId: string, topic: string, partitions: readonly number[]): Promise<Map<number, number>> {
  const wanted = new Set(partitions);
  const [ends, committed] = await Promise.all([
    withRetry(`finding the ends of ${topic}`, () => admin.fetchTopicOffsets(topic).catch((err: unknown) => Promise.reject(classifyKafkaError(err, `finding the ends of ${topic}`))), DEFAULT_RETRY),
    withRetry(`reading ${groupId}'s offsets`, () => admin.fetchOffsets({ groupId, topics: [topic] }).catch((err: unknown) => Promise.reject(classifyKafkaError(err, `reading ${groupId}'s offsets`))), DEFAULT_RETRY),
  ]);
  const position = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  const lags = new Map<number, number>();
  for (const p of ends) {
    if (!wanted.has(p.partition)) continue;
    const from = position.get(p.partition) ?? -1n;
    const start = from < BigInt(p.low) ? BigInt(p.low) : from;
    lags.set(p.partition, Number(BigInt(p.high) - start));
  }
  return lags;
}
