import { fatalError, poisonError } from '@meterline/stream';
import type { Aggregator } from './aggregator';
import { emissionOrder, type EngineOutput } from './emission';
import {
  sameSpec,
  type EngineSnapshot,
  type EngineStats,
  type PartitionChangelogState,
  type StateChange,
} from './engine-state';
import {
  countState,
  emptyKeyState,
  isEmptyKeyState,
  jsonCopy,
  keyStateFromJson,
  keyStateToJson,
  type KeyState,
  type KeyStateJson,
  type WindowState,
} from './key-state';
import { selectKind } from './select-kind';
import { TimerQueue } from './timer-queue';
import { WatermarkTracker } from './watermark-tracker';
import { closeAt, purgeAt } from './window';
import { toWindow, type Applied, type WindowKind } from './window-kind';
import type { WindowSpec } from './window-spec';

export interface WindowEngineOptions<R, A, O> {
  readonly window: WindowSpec;
  readonly aggregator: Aggregator<R, A, O>;
  /** Windows are per key (node id + metric, say): the engine is keyed state. */
  readonly keyOf: (record: R) => string;
  /** Epoch ms from the record itself; nothing here reads a clock. */
  readonly eventTimeOf: (record: R) => number;
  /** Per-partition out-of-orderness tolerated before the watermark passes a record's time. Default 0. */
  readonly allowedLatenessMs?: number;
  /**
   * How long (by the caller's `now`) a partition may go without records before it stops holding the watermark back.
   * Default: never.
   */
  readonly idleTimeoutMs?: number;
}

/**
 * An event-time window engine: records in (with their input partition and the caller's clock), window results out,
 * once each when the watermark closes a window, again with `revision + 1` when a late record corrects a retained one.
 * Records too late even for that are returned, never dropped. All state is plain data: snapshot/restore whole, or feed
 * a changelog from `drainChanges()` and rebuild with `restoreKey`/`restorePartition`.
 *
 * Single-threaded and synchronous by design: callers feed records in partition order, as a Kafka consumer delivers them.
 */
export class WindowEngine<R, A, O> {
  private readonly spec: WindowSpec;
  private readonly aggregator: Aggregator<R, A, O>;
  private readonly kind: WindowKind<R, A>;
  private readonly tracker: WatermarkTracker;
  private readonly keys = new Map<string, KeyState<A>>();
  private readonly closeTimers = new TimerQueue();
  private readonly purgeTimers = new TimerQueue();
  /** Keys changed since the last drain, with the partition a tombstone for them would go to. */
  private readonly changedKeys = new Map<string, number>();
  private readonly changedPartitions = new Set<number>();
  /** The combined watermark as of the last drain: when it has moved, every partition entry is re-written. */
  private drainedWatermark: number | null = null;
  private lateRecords = 0;
  private lateUpdates = 0;

  constructor(private readonly options: WindowEngineOptions<R, A, O>) {
    this.spec = options.window;
    this.aggregator = options.aggregator;
    this.kind = selectKind(options.window, options.aggregator);
    this.tracker = new WatermarkTracker({
      allowedLatenessMs: nonNegative('allowedLatenessMs', options.allowedLatenessMs ?? 0),
      idleTimeoutMs: nonNegative('idleTimeoutMs', options.idleTimeoutMs ?? Number.POSITIVE_INFINITY),
    });
  }

  static fromSnapshot<R, A, O>(options: WindowEngineOptions<R, A, O>, snapshot: EngineSnapshot<A>): WindowEngine<R, A, O> {
    const engine = new WindowEngine(options);
    engine.restore(snapshot);
    return engine;
  }

  /** The combined watermark: every record earlier than it is taken to have arrived. Null before there is one. */
  get watermark(): number | null {
    return this.tracker.watermark;
  }

  /** Processes one record read from `partition`; `now` is the caller's clock, used only to detect idle partitions. */
  add(partition: number, record: R, now: number): EngineOutput<R, O> {
    const t = this.options.eventTimeOf(record);
    if (!Number.isSafeInteger(t)) throw poisonError('EVENT_TIME_INVALID', `event time must be integer epoch ms, got ${t}`);
    const key = this.options.keyOf(record);
    this.tracker.observe(partition, t, now);
    this.changedPartitions.add(partition);
    const watermark = this.tracker.update(now);
    const out: EngineOutput<R, O> = { emitted: [], late: [] };

    const state = this.keys.get(key) ?? emptyKeyState<A>(partition);
    const effective = maxOf(watermark, state.watermark);
    const applied = this.kind.apply(state, record, t, effective ?? Number.NEGATIVE_INFINITY);
    if (applied.missed.length > 0) {
      this.lateRecords++;
      out.late.push({ key, partition, eventTime: t, record, windows: applied.missed });
    }
    if (applied.changed.length > 0) {
      state.partition = partition;
      this.keys.set(key, state);
      this.touch(key, state, watermark);
      this.reopen(key, state, applied, effective, out);
      if (this.kind.entryExpiry !== undefined) this.purgeTimers.push(this.kind.entryExpiry(t), key);
    }
    this.advance(watermark, out);
    out.emitted.sort(emissionOrder);
    return out;
  }

  /** Lets time pass without records: partitions idle by `now` stop holding the watermark, which may close windows. */
  tick(now: number): EngineOutput<R, O> {
    const out: EngineOutput<R, O> = { emitted: [], late: [] };
    this.advance(this.tracker.update(now), out);
    out.emitted.sort(emissionOrder);
    return out;
  }

  /**
   * Assigned partitions hold the watermark back until they deliver a record or go idle; assigning a restored partition
   * restarts its idle timer, so that downtime does not make every partition look idle at once.
   */
  assign(partitions: readonly number[], now: number): void {
    for (const p of partitions) {
      this.tracker.assign(p, now);
      this.changedPartitions.add(p);
    }
  }

  /**
   * Forgets revoked partitions and their keys without recording changes: their state stays in the changelog for the
   * next owner. Drain and commit before revoking, as Kafka Streams commits on revocation.
   */
  revoke(partitions: readonly number[]): void {
    const revoked = new Set(partitions);
    for (const [key, state] of this.keys) {
      if (!revoked.has(state.partition)) continue;
      this.keys.delete(key);
      this.changedKeys.delete(key);
    }
    for (const p of revoked) {
      this.tracker.revoke(p);
      this.changedPartitions.delete(p);
    }
  }

  stats(): EngineStats {
    const { lateRecords, lateUpdates } = this;
    return { watermark: this.watermark, keys: this.keys.size, ...countState(this.keys.values()), lateRecords, lateUpdates };
  }

  /** Keys and partitions whose state changed since the last drain, in key and partition order. */
  drainChanges(): StateChange<A>[] {
    const changes: StateChange<A>[] = [];
    const combinedWatermark = this.watermark;
    const partitions = combinedWatermark === this.drainedWatermark ? [...this.changedPartitions] : this.tracker.partitionIds();
    for (const partition of partitions.sort((a, b) => a - b)) {
      const state = this.tracker.partition(partition);
      if (state !== undefined) changes.push({ scope: 'partition', partition, state: { ...state, combinedWatermark } });
    }
    this.drainedWatermark = combinedWatermark;
    for (const [key, tombstonePartition] of [...this.changedKeys].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const state = this.keys.get(key);
      changes.push(
        state === undefined
          ? { scope: 'key', key, partition: tombstonePartition, state: null }
          : { scope: 'key', key, partition: state.partition, state: keyStateToJson(state) },
      );
    }
    this.changedPartitions.clear();
    this.changedKeys.clear();
    return changes;
  }

  /** Replays one changelog entry (the latest per key wins, as in a compacted topic); `null` removes the key. */
  restoreKey(key: string, state: KeyStateJson<A> | null): void {
    if (state === null) {
      this.keys.delete(key);
      return;
    }
    const restored = keyStateFromJson(state);
    this.keys.set(key, restored);
    this.schedule(key, restored);
  }

  /** Replays one partition entry of a changelog. */
  restorePartition(partition: number, state: PartitionChangelogState | null): void {
    this.tracker.restorePartition(partition, state, state?.combinedWatermark ?? null);
  }

  snapshot(): EngineSnapshot<A> {
    return {
      version: 1,
      window: jsonCopy(this.spec),
      watermark: jsonCopy(this.tracker.snapshot()),
      keys: [...this.keys]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, state]) => ({ key, state: keyStateToJson(state) })),
      counters: { lateRecords: this.lateRecords, lateUpdates: this.lateUpdates },
    };
  }

  /** Restores a snapshot into this engine, which must be fresh. */
  restore(snapshot: EngineSnapshot<A>): void {
    if (this.keys.size > 0 || this.tracker.snapshot().partitions.length > 0) {
      throw fatalError('WINDOW_STATE_NOT_EMPTY', 'restore a snapshot only into a fresh engine');
    }
    if (snapshot.version !== 1 || !sameSpec(snapshot.window, this.spec)) {
      throw fatalError('WINDOW_STATE_INCOMPATIBLE', `snapshot was taken with ${JSON.stringify(snapshot.window)}`, {
        details: { expected: JSON.stringify(this.spec) },
      });
    }
    this.tracker.restore(jsonCopy(snapshot.watermark));
    for (const { key, state } of snapshot.keys) this.restoreKey(key, state);
    this.lateRecords = snapshot.counters.lateRecords;
    this.lateUpdates = snapshot.counters.lateUpdates;
  }

  /**
   * A changed window that was already closed (or was created closed) is a late update: it is reopened and re-closed by
   * the next `advance`, i.e. re-emitted with revision + 1 at once. With running totals, every later closed window of
   * the key counts the record in its total too, so those are reopened as well. Reminders go only to windows that are
   * new or reopened: an open window already has one, and one per record would grow the queue with every record.
   */
  private reopen(key: string, state: KeyState<A>, applied: Applied<A>, effective: number | null, out: EngineOutput<R, O>) {
    for (const w of applied.retracted) {
      out.emitted.push({ type: 'retraction', key, window: toWindow(w), revision: (w.revision ?? -1) + 1 });
    }
    const isLate = (w: WindowState<A>) => w.closed || (effective !== null && closeAt(this.spec, w) <= effective);
    if (applied.changed.some(isLate)) this.lateUpdates++;
    const remind = new Set(applied.created);
    for (const w of applied.changed) if (w.closed) remind.add(w);
    if (this.aggregator.runningTotals === true) {
      const from = Math.min(...applied.changed.map((w) => w.end));
      for (const w of state.windows.values()) if (w.closed && w.end > from) remind.add(w);
    }
    for (const w of remind) {
      w.closed = false;
      this.closeTimers.push(closeAt(this.spec, w), key);
    }
  }

  /** Closes (emits) every window the watermark has passed, then drops state past retention. */
  private advance(watermark: number | null, out: EngineOutput<R, O>): void {
    if (watermark === null) return;
    const closing: [string, KeyState<A>, WindowState<A>][] = [];
    for (const key of this.closeTimers.popDue(watermark)) {
      const state = this.keys.get(key);
      if (state === undefined) continue;
      for (const w of state.windows.values()) {
        if (w.closed || closeAt(this.spec, w) > watermark) continue;
        w.closed = true;
        w.revision = (w.revision ?? -1) + 1;
        closing.push([key, state, w]);
        this.purgeTimers.push(purgeAt(this.spec, w), key);
        this.touch(key, state, watermark);
      }
    }
    for (const [key, state, w] of closing) {
      out.emitted.push({ type: 'result', key, window: toWindow(w), revision: w.revision ?? 0, result: this.resultOf(state, w) });
    }
    for (const key of this.purgeTimers.popDue(watermark)) this.prune(key, watermark);
  }

  private resultOf(state: KeyState<A>, w: WindowState<A>): O {
    if (this.aggregator.runningTotals !== true) return this.aggregator.result(w.acc, toWindow(w));
    let running = this.mergeOf(this.aggregator.init(), state.carried);
    for (const other of byEnd(state.windows.values())) if (other.end <= w.end) running = this.mergeOf(running, other.acc);
    return this.aggregator.result(w.acc, toWindow(w), running);
  }

  private prune(key: string, watermark: number): void {
    const state = this.keys.get(key);
    if (state === undefined) return;
    const purged = byEnd(state.windows.values()).filter((w) => w.closed && purgeAt(this.spec, w) <= watermark);
    const expiry = this.kind.entryExpiry;
    const entries = expiry === undefined ? state.entries : state.entries.filter((e) => expiry(e.time) > watermark);
    if (purged.length === 0 && entries.length === state.entries.length) return;
    state.entries = entries;
    for (const w of purged) {
      state.windows.delete(w.start);
      if (this.aggregator.runningTotals === true) state.carried = this.mergeOf(state.carried ?? this.aggregator.init(), w.acc);
    }
    if (isEmptyKeyState(state)) {
      this.keys.delete(key);
      this.changedKeys.set(key, state.partition);
    } else {
      this.touch(key, state, watermark);
    }
  }

  private schedule(key: string, state: KeyState<A>): void {
    for (const w of state.windows.values()) {
      if (w.closed) this.purgeTimers.push(purgeAt(this.spec, w), key);
      else this.closeTimers.push(closeAt(this.spec, w), key);
    }
    const expiry = this.kind.entryExpiry;
    if (expiry !== undefined) for (const e of state.entries) this.purgeTimers.push(expiry(e.time), key);
  }

  private touch(key: string, state: KeyState<A>, watermark: number | null): void {
    state.watermark = maxOf(state.watermark, watermark);
    this.changedKeys.set(key, state.partition);
  }

  private mergeOf(a: A, b: A | null): A {
    if (b === null) return a;
    if (this.aggregator.merge === undefined) throw fatalError('WINDOW_AGGREGATOR_INVALID', 'running totals need merge');
    return this.aggregator.merge(a, b);
  }
}

const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

const byEnd = <A>(windows: Iterable<WindowState<A>>) => [...windows].sort((a, b) => a.end - b.end);

function nonNegative(name: string, value: number): number {
  if (Number.isNaN(value) || value < 0 || (Number.isFinite(value) && !Number.isSafeInteger(value))) {
    throw fatalError('WINDOW_ENGINE_INVALID', `${name} must be a non-negative integer of ms, got ${value}`);
  }
  return value;
}
