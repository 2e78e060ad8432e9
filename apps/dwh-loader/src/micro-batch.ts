/** Bounds of one load of one table: whichever is reached first closes the batch. */
export interface BatchLimits {
  readonly rows: number;
  readonly bytes: number;
  /** Age of the oldest entry at which the batch is loaded however small it is. */
  readonly maxWaitMs: number;
}

/** One consumed message: a record to load, or a dead letter (it could not be decoded). */
export type BatchItem<R, L> =
  | { readonly kind: 'record'; readonly record: R; readonly offset: string; readonly bytes: number }
  | { readonly kind: 'letter'; readonly letter: L; readonly offset: string; readonly bytes: number };

export type FlushReason = 'rows' | 'bytes' | 'time';

/** The position a load stores for one partition: the offset after everything the batch took from it. */
export interface NextOffset {
  readonly topic: string;
  readonly partition: number;
  readonly nextOffset: string;
}

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The records of one table waiting to be loaded together, with the dead letters among them and the position reached
 * in every partition they came from. Rows count every consumed message (a dead letter takes memory too); bytes are
 * the consumed key and value bytes, a cheap stand-in for the decoded size.
 *
 * Pure: time is passed in, so the bounds are tested without clocks, Kafka or a warehouse.
 */
export class MicroBatch<R, L> {
  readonly records: R[] = [];
  readonly letters: L[] = [];
  private readonly positions = new Map<string, NextOffset>();
  private rowCount = 0;
  private byteCount = 0;
  private opened: number | undefined;

  get rows(): number {
    return this.rowCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  /** When the oldest entry arrived; undefined while empty. */
  get openedAt(): number | undefined {
    return this.opened;
  }

  get offsets(): readonly NextOffset[] {
    return [...this.positions.values()];
  }

  /** Nothing to load and no position to store. */
  get isEmpty(): boolean {
    return this.rowCount === 0 && this.positions.size === 0;
  }

  /**
   * How many of `items` (from the front) fit under the row and byte bounds. An empty batch takes at least one, so a
   * record larger than the byte bound still loads, alone.
   */
  fitting(items: readonly BatchItem<R, L>[], limits: BatchLimits): number {
    let rows = this.rowCount;
    let bytes = this.byteCount;
    let n = 0;
    for (const item of items) {
      const empty = rows === 0;
      if (!empty && (rows + 1 > limits.rows || bytes + item.bytes > limits.bytes)) break;
      rows += 1;
      bytes += item.bytes;
      n += 1;
    }
    return n;
  }

  /**
   * Takes consecutive items of one partition; the partition's position becomes `nextOffset` (past markers and
   * aborted records the batch did not hold), or the offset after the last item when more of the fetch follows.
   */
  add(topic: string, partition: number, items: readonly BatchItem<R, L>[], nextOffset: string | undefined, now: number): void {
    const last = items[items.length - 1];
    const next = nextOffset ?? (last === undefined ? undefined : (BigInt(last.offset) + 1n).toString());
    for (const item of items) {
      if (item.kind === 'record') this.records.push(item.record);
      else this.letters.push(item.letter);
      this.rowCount += 1;
      this.byteCount += item.bytes;
    }
    if (next !== undefined) this.advance(topic, partition, next, now);
  }

  /** Moves a partition's position without records (a fetch of transaction markers only). Never moves it back. */
  advance(topic: string, partition: number, nextOffset: string, now: number): void {
    const key = partitionKey(topic, partition);
    const known = this.positions.get(key);
    if (known === undefined || BigInt(nextOffset) > BigInt(known.nextOffset)) this.positions.set(key, { topic, partition, nextOffset });
    this.opened ??= now;
  }

  /** Why the batch should be loaded now, if it should. */
  flushReason(limits: BatchLimits, now: number): FlushReason | undefined {
    if (this.rowCount >= limits.rows) return 'rows';
    if (this.byteCount >= limits.bytes) return 'bytes';
    if (this.opened !== undefined && now - this.opened >= limits.maxWaitMs) return 'time';
    return undefined;
  }
}
