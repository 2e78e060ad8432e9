import { fatalError } from '@meterline/stream';

/**
 * Which end of a fixed-size window is inclusive: `left` is the usual `[start, end)`; `right` is `(start, end]`, for
 * features defined "over the last hour up to and including t" (pandas' `closed='right'`).
 */
export type Closed = 'left' | 'right';

/**
 * How long a window stays usable, in watermark time. `graceMs`: after the window's last instant it still accepts
 * records as an open window (nothing emitted yet). `retentionMs`: after closing, its state is kept so that a late
 * record can still correct it (re-emitted with `revision + 1`); after that a record for it is returned as late.
 */
export interface Lifecycle {
  readonly graceMs: number;
  readonly retentionMs: number;
}

/** `[k·size, (k+1)·size)`, aligned to the epoch. */
export interface TumblingSpec extends Lifecycle {
  readonly kind: 'tumbling';
  readonly sizeMs: number;
  readonly closed: Closed;
}

/** `[k·advance, k·advance + size)`, aligned to the epoch: with size a multiple of advance, ends lie on the advance grid. */
export interface HoppingSpec extends Lifecycle {
  readonly kind: 'hopping';
  readonly sizeMs: number;
  readonly advanceMs: number;
  readonly closed: Closed;
}

/** Kafka Streams' SlidingWindows: `[start, start + timeDifference]`, both ends inclusive, placed by the records. */
export interface SlidingSpec extends Lifecycle {
  readonly kind: 'sliding';
  readonly timeDifferenceMs: number;
}

/** Records closer than `gapMs` (inclusive) to a session join it; a record within reach of two sessions merges them. */
export interface SessionSpec extends Lifecycle {
  readonly kind: 'session';
  readonly gapMs: number;
}

export type WindowSpec = TumblingSpec | HoppingSpec | SlidingSpec | SessionSpec;
export type TimeWindowSpec = TumblingSpec | HoppingSpec;

export interface LifecycleOptions {
  /** Default 0: the window closes as soon as the watermark passes its last instant. */
  readonly graceMs?: number;
  /** Default 0: no late corrections, a record for a closed window is returned as late. */
  readonly retentionMs?: number;
}

export function tumbling(options: { sizeMs: number; closed?: Closed } & LifecycleOptions): TumblingSpec {
  return Object.freeze({
    kind: 'tumbling',
    sizeMs: positive('sizeMs', options.sizeMs),
    closed: options.closed ?? 'left',
    ...lifecycle(options),
  });
}

export function hopping(options: { sizeMs: number; advanceMs: number; closed?: Closed } & LifecycleOptions): HoppingSpec {
  const sizeMs = positive('sizeMs', options.sizeMs);
  const advanceMs = positive('advanceMs', options.advanceMs);
  // Kafka Streams refuses advance > size too: the gaps between windows would silently drop records.
  if (advanceMs > sizeMs) throw invalid(`advanceMs (${advanceMs}) must not exceed sizeMs (${sizeMs})`);
  return Object.freeze({ kind: 'hopping', sizeMs, advanceMs, closed: options.closed ?? 'left', ...lifecycle(options) });
}

export function sliding(options: { timeDifferenceMs: number } & LifecycleOptions): SlidingSpec {
  return Object.freeze({
    kind: 'sliding',
    timeDifferenceMs: positive('timeDifferenceMs', options.timeDifferenceMs),
    ...lifecycle(options),
  });
}

export function session(options: { gapMs: number } & LifecycleOptions): SessionSpec {
  return Object.freeze({ kind: 'session', gapMs: positive('gapMs', options.gapMs), ...lifecycle(options) });
}

function lifecycle(options: LifecycleOptions): Lifecycle {
  return {
    graceMs: nonNegative('graceMs', options.graceMs ?? 0),
    retentionMs: nonNegative('retentionMs', options.retentionMs ?? 0),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${name} must be a positive integer of ms, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalid(`${name} must be a non-negative integer of ms, got ${value}`);
  }
  return value;
}

const invalid = (message: string) => fatalError('WINDOW_SPEC_INVALID', message);
