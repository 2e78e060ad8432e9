import type { Window } from './window';

/** A window's result; consumers keep the highest revision per (key, window start). */
export interface WindowResult<O> {
  readonly type: 'result';
  readonly key: string;
  readonly window: Window;
  /** 0 for the first emission, +1 for each re-emission caused by late records. */
  readonly revision: number;
  readonly result: O;
}

/**
 * A session that was emitted and has since been merged into another one (whose start differs) no longer exists:
 * consumers delete the (key, window start) it names. Its revision is one past the last emitted result.
 */
export interface WindowRetraction {
  readonly type: 'retraction';
  readonly key: string;
  readonly window: Window;
  readonly revision: number;
}

export type Emission<O> = WindowResult<O> | WindowRetraction;

/** A record that came too late for some of its windows (their state was already purged): never dropped silently. */
export interface LateRecord<R> {
  readonly key: string;
  readonly partition: number;
  readonly eventTime: number;
  readonly record: R;
  /**
   * The windows it missed. For hopping windows a record can miss the oldest of its windows and still update the newer
   * ones; a correction path must apply it to exactly these.
   */
  readonly windows: readonly Window[];
}

export interface EngineOutput<R, O> {
  /** In window end order, then key, then window start (a retraction before a result on ties). */
  readonly emitted: Emission<O>[];
  readonly late: LateRecord<R>[];
}

export function emissionOrder<O>(a: Emission<O>, b: Emission<O>): number {
  return (
    a.window.end - b.window.end ||
    compareStrings(a.key, b.key) ||
    a.window.start - b.window.start ||
    (a.type === b.type ? 0 : a.type === 'retraction' ? -1 : 1)
  );
}

const compareStrings = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
