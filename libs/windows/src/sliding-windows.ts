import type { Aggregator } from './aggregator';
import type { Entry, KeyState, WindowState } from './key-state';
import { purgeAt } from './window';
import type { WindowKind } from './window-kind';
import type { SlidingSpec } from './window-spec';

type Merge<A> = (a: A, b: A) => A;

/**
 * Kafka Streams' sliding windows (KIP-450), by definition rather than by its store layout. For a time difference d,
 * a key's windows are `[t − d, t]` for every record time t (its "left" window) and `[t + 1, t + 1 + d]` for every record
 * time t that has a later record within it (its "right" window); both ends inclusive. A window holds every record of
 * the key whose time lies in it. This yields one window per distinct set of records the time difference allows, each
 * emitted once when it closes (last instant = end); a record landing in a window updates it, as in every other kind.
 *
 * Accumulators cannot subtract, so a window created later (an out-of-order record's left window, a right window that
 * just got content) is built from per-time entries `add(init(), record)`, kept only while some future window could
 * need them: until the entry's own right window could no longer be created.
 */
export function slidingWindows<R, A>(
  spec: SlidingSpec,
  aggregator: Aggregator<R, A, unknown>,
  merge: Merge<A>,
): WindowKind<R, A> {
  const d = spec.timeDifferenceMs;
  return {
    apply(state, record, t, watermark) {
      const left = { start: t - d, end: t };
      // Every other window holding t ends later and outlives this one, so this one decides lateness.
      if (watermark >= purgeAt(spec, left)) return { changed: [], created: [], retracted: [], missed: [left] };

      const changed: WindowState<A>[] = [];
      const created: WindowState<A>[] = [];
      for (const w of state.windows.values()) {
        if (w.start <= t && t <= w.end) {
          w.acc = aggregator.add(w.acc, record);
          changed.push(w);
        }
      }
      addEntry(state.entries, t, aggregator.add(aggregator.init(), record), merge);

      const wanted = [left.start];
      if (state.entries.some((e) => e.time > t && e.time <= t + 1 + d)) wanted.push(t + 1);
      const previous = latestBefore(state.entries, t);
      if (previous !== undefined && t <= previous.time + 1 + d) wanted.push(previous.time + 1);
      for (const start of wanted) {
        if (state.windows.has(start)) continue;
        const w = { start, end: start + d, acc: fold(state, start, start + d, aggregator, merge), revision: null, closed: false };
        state.windows.set(start, w);
        changed.push(w);
        created.push(w);
      }
      return { changed, created, retracted: [], missed: [] };
    },
    entryExpiry: (time) => purgeAt(spec, { start: time + 1, end: time + 1 + d }),
  };
}

function addEntry<A>(entries: Entry<A>[], time: number, acc: A, merge: Merge<A>): void {
  let i = entries.length;
  while (i > 0 && (entries[i - 1]?.time ?? Number.NEGATIVE_INFINITY) > time) i--;
  const same = entries[i - 1];
  if (same !== undefined && same.time === time) same.acc = merge(same.acc, acc);
  else entries.splice(i, 0, { time, acc });
}

function latestBefore<A>(entries: readonly Entry<A>[], time: number): Entry<A> | undefined {
  let found: Entry<A> | undefined;
  for (const e of entries) {
    if (e.time >= time) break;
    found = e;
  }
  return found;
}

function fold<R, A>(state: KeyState<A>, from: number, to: number, aggregator: Aggregator<R, A, unknown>, merge: Merge<A>): A {
  let acc = aggregator.init();
  for (const e of state.entries) if (e.time >= from && e.time <= to) acc = merge(acc, e.acc);
  return acc;
}
