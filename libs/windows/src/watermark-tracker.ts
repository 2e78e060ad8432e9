/** What the engine keeps per input partition (and what a changelog persists for it). */
export interface PartitionState {
  /** The latest event time seen on the partition; null until its first record. */
  readonly maxEventTime: number | null;
  /** The caller's clock (not event time) when the partition last had a record, or was assigned. */
  readonly lastActiveAt: number;
}

export interface WatermarkOptions {
  /** Subtracted from each partition's max event time: how far out of order records may arrive on one partition. */
  readonly allowedLatenessMs: number;
  /** A partition without records for longer than this (by the caller's clock) stops holding the watermark back. */
  readonly idleTimeoutMs: number;
}

export interface WatermarkSnapshot {
  readonly watermark: number | null;
  readonly partitions: readonly ({ readonly partition: number } & PartitionState)[];
}

/**
 * Per-partition watermarks (max event time − allowed lateness) combined into one:
 * - the minimum over partitions that are not idle, as in Flink and Kafka Streams: the slowest partition decides;
 * - a partition with no records yet holds the watermark back until it has one or goes idle;
 * - when every partition is idle, the maximum over them (Flink's StatusWatermarkValve does the same), so that a stream
 *   that pauses everywhere still closes the windows its data allows;
 * - it never goes backwards. A partition that wakes up behind the others rejoins without pulling it back: until it
 *   catches up the watermark stands still, and its records for already closed windows are late.
 */
export class WatermarkTracker {
  private readonly partitions = new Map<number, PartitionState>();
  private combined: number | null = null;
  /** Combined watermarks recorded with partitions restored from a changelog; their minimum is applied at the next update. */
  private readonly restoredCombined = new Map<number, number | null>();

  constructor(private readonly options: WatermarkOptions) {}

  get watermark(): number | null {
    return this.combined;
  }

  /**
   * A (re)assigned partition starts a fresh idle timer and keeps its max event time: after a restart or a rebalance, a
   * partition has not had the chance to deliver yet, however long the downtime was.
   */
  assign(partition: number, now: number): void {
    const maxEventTime = this.partitions.get(partition)?.maxEventTime ?? null;
    this.partitions.set(partition, { maxEventTime, lastActiveAt: now });
  }

  revoke(partition: number): void {
    this.partitions.delete(partition);
    this.restoredCombined.delete(partition);
  }

  observe(partition: number, eventTime: number, now: number): void {
    const previous = this.partitions.get(partition)?.maxEventTime ?? null;
    const maxEventTime = previous === null ? eventTime : Math.max(previous, eventTime);
    this.partitions.set(partition, { maxEventTime, lastActiveAt: now });
  }

  /** Recomputes the combined watermark as of the caller's `now` (which decides idleness) and returns it. */
  update(now: number): number | null {
    if (this.restoredCombined.size > 0) {
      // The minimum: no key of any restored partition sees a watermark beyond what that partition's last owner had.
      let min: number | null = Number.POSITIVE_INFINITY;
      for (const w of this.restoredCombined.values()) min = w === null || min === null ? null : Math.min(min, w);
      if (min !== null) this.raise(min);
      this.restoredCombined.clear();
    }
    const candidate = this.candidate(now);
    if (candidate !== null && (this.combined === null || candidate > this.combined)) this.combined = candidate;
    return this.combined;
  }

  private raise(watermark: number): void {
    if (this.combined === null || watermark > this.combined) this.combined = watermark;
  }

  isIdle(partition: number, now: number): boolean {
    const state = this.partitions.get(partition);
    return state !== undefined && now - state.lastActiveAt > this.options.idleTimeoutMs;
  }

  partitionIds(): number[] {
    return [...this.partitions.keys()];
  }

  partition(partition: number): PartitionState | undefined {
    return this.partitions.get(partition);
  }

  /**
   * Restores a partition from a changelog entry. `combinedWatermark` is the combined watermark of the engine that wrote
   * it; undefined when restoring a whole snapshot, which carries the combined watermark itself.
   */
  restorePartition(partition: number, state: PartitionState | null, combinedWatermark?: number | null): void {
    if (state === null) {
      this.partitions.delete(partition);
      this.restoredCombined.delete(partition);
      return;
    }
    this.partitions.set(partition, { maxEventTime: state.maxEventTime, lastActiveAt: state.lastActiveAt });
    if (combinedWatermark !== undefined) this.restoredCombined.set(partition, combinedWatermark);
  }

  snapshot(): WatermarkSnapshot {
    const partitions = [...this.partitions.entries()]
      .sort(([a], [b]) => a - b)
      .map(([partition, s]) => ({ partition, maxEventTime: s.maxEventTime, lastActiveAt: s.lastActiveAt }));
    return { watermark: this.combined, partitions };
  }

  restore(snapshot: WatermarkSnapshot): void {
    this.partitions.clear();
    for (const { partition, ...state } of snapshot.partitions) this.restorePartition(partition, state);
    this.combined = snapshot.watermark;
  }

  private candidate(now: number): number | null {
    const own = (s: PartitionState) => (s.maxEventTime === null ? null : s.maxEventTime - this.options.allowedLatenessMs);
    const all = [...this.partitions.values()];
    const active = all.filter((s) => now - s.lastActiveAt <= this.options.idleTimeoutMs);
    if (active.length > 0) {
      let min = Number.POSITIVE_INFINITY;
      for (const s of active) {
        const w = own(s);
        if (w === null) return null;
        min = Math.min(min, w);
      }
      return min;
    }
    let max: number | null = null;
    for (const s of all) {
      const w = own(s);
      if (w !== null && (max === null || w > max)) max = w;
    }
    return max;
  }
}
