import type { Window } from './window';

/**
 * How a window turns records into a result. The accumulator `A` must be plain JSON data (no Infinity, NaN, undefined,
 * Map or class instances): it is what snapshots and changelogs carry, and a value that does not survive
 * `JSON.parse(JSON.stringify(a))` unchanged breaks restores.
 *
 * `add` and `merge` may return a new accumulator or mutate and return their first argument; they must never mutate the
 * record or `merge`'s second argument, which the engine may still hold elsewhere.
 */
export interface Aggregator<R, A, O> {
  init(): A;
  add(acc: A, record: R): A;
  /** Combines two accumulators as if every record of `b` had been added to `a`. Required by session and sliding windows. */
  merge?(a: A, b: A): A;
  /**
   * The window's result. `running` is passed only when `runningTotals` is set: the merge of this window with every
   * earlier window of the same key since the key's first record, including windows whose state is already purged.
   */
  result(acc: A, window: Window, running?: A): O;
  /**
   * Asks the engine for `running` (an interval/total counter's "total"). Tumbling windows only, and `merge` is required:
   * the engine folds purged windows into a per-key carry and, when a late record corrects a window, re-emits every later
   * closed window too, because their totals changed.
   */
  readonly runningTotals?: boolean;
}
