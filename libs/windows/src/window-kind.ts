import type { KeyState, WindowState } from './key-state';
import type { Window } from './window';

/** What one record did to one key's windows. */
export interface Applied<A> {
  /** Windows the record updated or created (closed ones among them are reopened and re-emitted by the engine). */
  readonly changed: readonly WindowState<A>[];
  /** The windows among `changed` that are new or whose end moved: they need a reminder to close. */
  readonly created: readonly WindowState<A>[];
  /** Emitted sessions that a bridging record merged into a session with another start. */
  readonly retracted: readonly WindowState<A>[];
  /** Windows the record belongs to whose state is already purged: it is returned as late for these. */
  readonly missed: readonly Window[];
}

/**
 * The part of the engine that differs between window kinds: where a record goes. `watermark` is the key's effective
 * watermark (−Infinity before the first one); lifecycle (closing, emitting, purging) is the engine's.
 */
export interface WindowKind<R, A> {
  apply(state: KeyState<A>, record: R, eventTime: number, watermark: number): Applied<A>;
  /** Sliding windows only: the watermark from which a record-time entry can no longer be needed. */
  entryExpiry?(time: number): number;
}

export const toWindow = (w: { readonly start: number; readonly end: number }): Window => ({ start: w.start, end: w.end });
