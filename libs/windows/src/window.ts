import type { WindowSpec } from './window-spec';

/**
 * A window's bounds in epoch ms. Which ends are inclusive depends on the kind: tumbling and hopping `[start, end)`
 * (or `(start, end]` when right-closed), sliding `[start, end]`, session `[first record, last record]`.
 */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/**
 * The latest event time that can still land in (or, for a session, extend) the window. Event times are integer ms, so
 * "before end" is end − 1.
 */
export function lastInstant(spec: WindowSpec, w: Window): number {
  switch (spec.kind) {
    case 'tumbling':
    case 'hopping':
      return spec.closed === 'right' ? w.end : w.end - 1;
    case 'sliding':
      return w.end;
    case 'session':
      return w.end + spec.gapMs;
  }
}

/**
 * The watermark at which the window closes. A watermark W says "every record earlier than W has arrived", so a window is
 * complete once W > its last instant, and closes `graceMs` later.
 */
export const closeAt = (spec: WindowSpec, w: Window): number => lastInstant(spec, w) + 1 + spec.graceMs;

/** The watermark at which a closed window's state is dropped; records for it are late from then on. */
export const purgeAt = (spec: WindowSpec, w: Window): number => closeAt(spec, w) + spec.retentionMs;
