import type { Admin } from '@meterline/kafka';
import { waitFor } from '@meterline/local-stack';

/** Partition → offset. */
export type Offsets = ReadonlyMap<number, number>;

/**
 * The high watermark of every partition: the offset the next record will get. On a fresh topic their sum is the
 * number of records it holds, and a record below the high watermark is replicated to all in-sync replicas, the same
 * durability acks=all gives. That makes the sum the relay's finish line.
 */
export async function highWatermarks(admin: Admin, topic: string): Promise<Offsets> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

/** The group's committed offsets on `topic`; a partition without a commit counts as 0. */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Offsets> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((entry?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
}

export const total = (offsets: Offsets): number => [...offsets.values()].reduce((a, b) => a + b, 0);

/**
 * Resolves with performance.now() at the first poll that sees `count(admin)` ≥ `goal`. Polled every 50 ms: the
 * figure is late by at most that plus one admin round trip, under 1 % of any phase this bench times.
 */
export async function whenReached(
  count: () => Promise<number>,
  goal: number,
  what: string,
  timeoutMs: number,
): Promise<number> {
  let last = 0;
  return waitFor(
    async () => {
      last = await count();
      return last >= goal ? performance.now() : undefined;
    },
    { intervalMs: 50, timeoutMs, message: () => `${what} to reach ${goal} (last seen ${last})` },
  );
}
