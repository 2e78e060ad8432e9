import type { KeyStateJson } from './key-state';
import type { PartitionState, WatermarkSnapshot } from './watermark-tracker';
import type { WindowSpec } from './window-spec';

/** The whole engine as JSON: restoring it into a fresh engine gives the same future outputs as never stopping. */
export interface EngineSnapshot<A> {
  readonly version: 1;
  /** Restoring into an engine with another spec would misplace every record, so restore refuses it. */
  readonly window: WindowSpec;
  readonly watermark: WatermarkSnapshot;
  /** Sorted by key. */
  readonly keys: readonly { readonly key: string; readonly state: KeyStateJson<A> }[];
  readonly counters: { readonly lateRecords: number; readonly lateUpdates: number };
}

/**
 * One entry of the change feed a changelog is written from (see the README): the current state of a key or a
 * partition, or `null` for a key whose state is gone (a tombstone). `partition` is the input partition the entry
 * belongs to, so the changelog can be co-partitioned with the input.
 */
export type StateChange<A> =
  | { readonly scope: 'key'; readonly key: string; readonly partition: number; readonly state: KeyStateJson<A> | null }
  | { readonly scope: 'partition'; readonly partition: number; readonly state: PartitionChangelogState };

/**
 * A partition's changelog entry: its own state plus the engine's combined watermark when written. Whenever the combined
 * watermark moves, every partition is re-written, so after any drain all entries carry the current one; on restore the
 * minimum over the restored entries brings it back (exactly, after a restart) without ever exceeding what an earlier
 * owner of any of those partitions had.
 */
export interface PartitionChangelogState extends PartitionState {
  readonly combinedWatermark: number | null;
}

/** For metrics. */
export interface EngineStats {
  readonly watermark: number | null;
  readonly keys: number;
  readonly openWindows: number;
  /** Closed windows kept for late corrections. */
  readonly retainedWindows: number;
  /** Accumulators held: windows, sliding record-time entries and running-total carries. */
  readonly stateEntries: number;
  /** Records returned as late (too late for at least one window), since start or restore of a snapshot. */
  readonly lateRecords: number;
  /** Records that arrived after their window closed and corrected it (re-emitted with revision + 1). */
  readonly lateUpdates: number;
}

/** Spec objects come from the factories or from JSON, so compare them by content. */
export function sameSpec(a: WindowSpec, b: WindowSpec): boolean {
  const canonical = (s: WindowSpec) => JSON.stringify(Object.entries(s).sort(([x], [y]) => (x < y ? -1 : 1)));
  return canonical(a) === canonical(b);
}
