import type { Window } from './window';
import type { TimeWindowSpec } from './window-spec';

/**
 * The epoch-aligned windows of a tumbling or hopping spec that contain event time `t`, earliest first. Window k spans
 * `[k·advance, k·advance + size)` (left-closed) or `(k·advance, k·advance + size]` (right-closed); a tumbling window
 * is a hopping one whose advance is its size.
 *
 * The bounds on k come from solving the membership inequality for k. Dividing two safe integers in floating point and
 * flooring is exact here: a non-integral quotient is at least 1/advance away from an integer, far more than one ulp.
 */
export function timeWindowsFor(spec: TimeWindowSpec, t: number): Window[] {
  const size = spec.sizeMs;
  const advance = spec.kind === 'hopping' ? spec.advanceMs : spec.sizeMs;
  // left:  k·a ≤ t < k·a + size  ⇔  (t − size)/a < k ≤ t/a
  // right: k·a < t ≤ k·a + size  ⇔  (t − size)/a ≤ k < t/a
  const first = spec.closed === 'right' ? Math.ceil((t - size) / advance) : Math.floor((t - size) / advance) + 1;
  const last = spec.closed === 'right' ? Math.ceil(t / advance) - 1 : Math.floor(t / advance);
  const windows: Window[] = [];
  for (let k = first; k <= last; k++) windows.push({ start: k * advance, end: k * advance + size });
  return windows;
}
