/** The latest version of one key in the history table (open or closed). */
export interface StoredVersion {
  readonly validFrom: number;
  readonly validTo: number | null;
  /** Equal for versions with equal attributes (every column but the validity and lineage ones). */
  readonly fingerprint: string;
}

/** One record of the batch, in consumption order. */
export type HistoryChange<R> =
  | { readonly kind: 'update'; readonly key: string; readonly validFrom: number; readonly fingerprint: string; readonly record: R }
  | { readonly kind: 'tombstone'; readonly key: string; readonly at: number };

export interface HistoryPlan<R> {
  /** Stored current versions to close: set `valid_to` of the row (key, validFrom). */
  readonly closes: { readonly key: string; readonly validFrom: number; readonly validTo: number }[];
  /** New versions, with `validTo` already set when a later record of the same batch closed them. */
  readonly inserts: { record: R; readonly validFrom: number; validTo: number | null }[];
}

interface State {
  validFrom: number;
  validTo: number | null;
  fingerprint: string;
  /** The index in `inserts` when this version was opened by this batch, so closing it edits the insert instead. */
  inserted?: number;
}

/**
 * Slowly changing dimension type 2, planned in memory so that the warehouse gets two bulk statements (close, insert)
 * whatever the batch holds. Per key, in consumption order:
 * - an update newer than the latest version (open or closed) with different attributes closes the open version at
 *   its own `validFrom` and opens a new one; an update no newer than the latest version is stale (a consumer keeps
 *   the newest) and an unchanged one repeats the current version (ingest re-sends metadata after a restart): both
 *   change nothing;
 * - a tombstone closes the open version at the tombstone's time (never before the version began), leaving the key
 *   without a current version until it is updated again.
 */
export function planHistory<R>(
  latest: ReadonlyMap<string, StoredVersion>,
  changes: readonly HistoryChange<R>[],
): HistoryPlan<R> {
  const plan: HistoryPlan<R> = { closes: [], inserts: [] };
  const states = new Map<string, State>();
  const stateOf = (key: string): State | undefined => {
    let state = states.get(key);
    const stored = latest.get(key);
    if (state === undefined && stored !== undefined) {
      state = { validFrom: stored.validFrom, validTo: stored.validTo, fingerprint: stored.fingerprint };
      states.set(key, state);
    }
    return state;
  };
  const close = (key: string, state: State, at: number) => {
    const validTo = Math.max(at, state.validFrom);
    state.validTo = validTo;
    const inserted = state.inserted === undefined ? undefined : plan.inserts[state.inserted];
    if (inserted !== undefined) inserted.validTo = validTo;
    else plan.closes.push({ key, validFrom: state.validFrom, validTo });
  };

  for (const change of changes) {
    const state = stateOf(change.key);
    if (change.kind === 'tombstone') {
      if (state !== undefined && state.validTo === null) close(change.key, state, change.at);
      continue;
    }
    if (state !== undefined) {
      if (change.validFrom <= state.validFrom) continue;
      if (state.validTo === null && state.fingerprint === change.fingerprint) continue;
      if (state.validTo === null) close(change.key, state, change.validFrom);
    }
    plan.inserts.push({ record: change.record, validFrom: change.validFrom, validTo: null });
    states.set(change.key, {
      validFrom: change.validFrom,
      validTo: null,
      fingerprint: change.fingerprint,
      inserted: plan.inserts.length - 1,
    });
  }
  return plan;
}
