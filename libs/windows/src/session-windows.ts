import type { Aggregator } from './aggregator';
import type { WindowState } from './key-state';
import type { WindowKind } from './window-kind';
import type { SessionSpec } from './window-spec';

/**
 * Session windows: a session spans its first to its last record; a record within `gapMs` (inclusive, as in Kafka
 * Streams) of a session joins it, and a record within reach of several sessions merges them. The merged session keeps
 * the identity (start) and revision of the part that starts where it starts; other parts that were already emitted are
 * retracted, since they no longer exist.
 *
 * A session stays open until the watermark passes `last + gap` (only then can no on-time record extend it), plus
 * grace. A record is late once `t + 1 + grace + retention <= watermark`: from then on it could belong to a session whose
 * state was purged, and merging it into a fresh one would report a wrong session. Records never land in purged state.
 */
export function sessionWindows<R, A>(
  spec: SessionSpec,
  aggregator: Aggregator<R, A, unknown>,
  merge: (a: A, b: A) => A,
): WindowKind<R, A> {
  const gap = spec.gapMs;
  return {
    apply(state, record, t, watermark) {
      if (watermark >= t + 1 + spec.graceMs + spec.retentionMs) {
        return { changed: [], created: [], retracted: [], missed: [{ start: t, end: t }] };
      }
      const touching = [...state.windows.values()]
        .filter((w) => w.start - gap <= t && t <= w.end + gap)
        .sort((a, b) => a.start - b.start);
      const first = touching[0];
      let acc = first === undefined ? aggregator.init() : first.acc;
      for (const w of touching.slice(1)) acc = merge(acc, w.acc);
      acc = aggregator.add(acc, record);

      const start = Math.min(t, ...touching.map((w) => w.start));
      const end = Math.max(t, ...touching.map((w) => w.end));
      const same = touching.find((w) => w.start === start);
      for (const w of touching) state.windows.delete(w.start);
      const merged: WindowState<A> = {
        start,
        end,
        acc,
        revision: same?.revision ?? null,
        closed: touching.some((w) => w.closed),
      };
      state.windows.set(start, merged);
      const retracted = touching.filter((w) => w !== same && w.revision !== null);
      return { changed: [merged], created: [merged], retracted, missed: [] };
    },
  };
}
