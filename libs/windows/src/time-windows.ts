import type { Aggregator } from './aggregator';
import type { WindowState } from './key-state';
import { timeWindowsFor } from './time-window-assigner';
import { purgeAt, type Window } from './window';
import type { WindowKind } from './window-kind';
import type { TimeWindowSpec } from './window-spec';

/**
 * Tumbling and hopping windows: fixed, epoch-aligned slots. A record updates each of its slots whose state is still
 * held; the slots already purged are reported as missed, so a hopping record may be both applied and late.
 */
export function timeWindows<R, A>(spec: TimeWindowSpec, aggregator: Aggregator<R, A, unknown>): WindowKind<R, A> {
  return {
    apply(state, record, t, watermark) {
      const changed: WindowState<A>[] = [];
      const created: WindowState<A>[] = [];
      const missed: Window[] = [];
      for (const bounds of timeWindowsFor(spec, t)) {
        if (watermark >= purgeAt(spec, bounds)) {
          missed.push(bounds);
          continue;
        }
        let w = state.windows.get(bounds.start);
        if (w === undefined) {
          w = { ...bounds, acc: aggregator.init(), revision: null, closed: false };
          state.windows.set(bounds.start, w);
          created.push(w);
        }
        w.acc = aggregator.add(w.acc, record);
        changed.push(w);
      }
      return { changed, created, retracted: [], missed };
    },
  };
}
