import { fatalError } from '@meterline/stream';
import type { OffsetCommit, SourceRecord } from '../warehouse';

const DIGITS = /^\d{1,16}$/;

/** Topic names cannot contain NUL, so this never joins two different partitions into one key. */
export const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A Kafka offset (an int64 as decimal digits, as kafkajs gives it) as a number; anything else is a bug. Offsets are
 * compared and staged as numbers, not bigints (an allocation per record, which showed in the load rate): that limits
 * them to 2^53, which a partition written at a million records per second reaches in 285 years.
 */
export function parseOffset(offset: string, what: string): number {
  const parsed = typeof offset === 'string' && DIGITS.test(offset) ? Number(offset) : -1;
  if (!Number.isSafeInteger(parsed) || parsed < 0) {
    throw fatalError('WAREHOUSE_BAD_OFFSET', `${what}: ${JSON.stringify(offset)} is not a Kafka offset`, {
      details: { offset: String(offset) },
    });
  }
  return parsed;
}

const checkPartition = (partition: number, what: string) => {
  if (!Number.isInteger(partition) || partition < 0 || partition > 2 ** 31 - 1) {
    throw fatalError('WAREHOUSE_BAD_OFFSET', `${what}: partition ${String(partition)} is not a Kafka partition`);
  }
};

/** A committed position, parsed. */
export interface Position {
  readonly topic: string;
  readonly partition: number;
  readonly next: number;
}

/** The committed next offsets by partition key, validated; the highest wins if a partition is listed twice. */
export function commitPositions(commit: OffsetCommit): Map<string, Position> {
  if (typeof commit.group !== 'string' || commit.group === '') {
    throw fatalError('WAREHOUSE_BAD_OFFSET', 'an offset commit needs its consumer group');
  }
  const positions = new Map<string, Position>();
  for (const { topic, partition, nextOffset } of commit.offsets) {
    checkPartition(partition, `offset commit for ${topic}`);
    const key = partitionKey(topic, partition);
    const next = parseOffset(nextOffset, `next offset of ${topic}[${partition}]`);
    const known = positions.get(key);
    if (known === undefined || next > known.next) positions.set(key, { topic, partition, next });
  }
  return positions;
}

export interface NewRecords<R> {
  readonly records: R[];
  /** The offset of each kept record, parsed once (parallel to `records`). */
  readonly offsets: number[];
  readonly skipped: number;
  /** The highest kept offset per partition key. */
  readonly highest: ReadonlyMap<string, { readonly topic: string; readonly partition: number; readonly offset: number }>;
}

/**
 * The records of a batch not loaded yet. Kafka delivers each partition in offset order, so a record below the
 * partition's high-water mark (the stored next offset, then each kept record) can only be a re-delivery: after a
 * crash before commit, a rebalance, or a seek back. Those are skipped; nothing else is.
 */
export function newRecords<R extends SourceRecord<unknown>>(
  records: readonly R[],
  stored: ReadonlyMap<string, number>,
): NewRecords<R> {
  // Marks per topic, then per partition: no key string per record on the hot path.
  const marks = new Map<string, Map<number, { next: number; kept: boolean }>>();
  const kept: R[] = [];
  const offsets: number[] = [];
  for (const record of records) {
    let byPartition = marks.get(record.topic);
    if (byPartition === undefined) {
      byPartition = new Map();
      marks.set(record.topic, byPartition);
    }
    let mark = byPartition.get(record.partition);
    if (mark === undefined) {
      checkPartition(record.partition, `record of ${record.topic}`);
      mark = { next: stored.get(partitionKey(record.topic, record.partition)) ?? 0, kept: false };
      byPartition.set(record.partition, mark);
    }
    const offset = parseOffset(record.offset, `record of ${record.topic}[${record.partition}]`);
    if (offset < mark.next) continue;
    mark.next = offset + 1;
    mark.kept = true;
    kept.push(record);
    offsets.push(offset);
  }
  const highest = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const [topic, byPartition] of marks) {
    for (const [partition, mark] of byPartition) {
      if (mark.kept) highest.set(partitionKey(topic, partition), { topic, partition, offset: mark.next - 1 });
    }
  }
  return { records: kept, offsets, skipped: records.length - kept.length, highest };
}

/**
 * Refuses a commit that would leave a written record at or beyond its partition's stored next offset: a restart would
 * read that record again and, finding the offset not yet covered, write it twice.
 */
export function checkCommitCovers(
  highest: NewRecords<unknown>['highest'],
  positions: ReadonlyMap<string, Position>,
): void {
  for (const [key, { topic, partition, offset }] of highest) {
    const next = positions.get(key)?.next;
    if (next === undefined || next <= offset) {
      throw fatalError(
        'WAREHOUSE_OFFSETS_BEHIND',
        `the offset commit does not cover ${topic}[${partition}]@${offset}: ` +
          `it commits ${next === undefined ? 'nothing' : `next offset ${next}`} for that partition`,
        { details: { topic, partition, offset } },
      );
    }
  }
}
