import type { Aggregator } from '../aggregator';
import type { EngineOutput } from '../emission';
import { WindowEngine, type WindowEngineOptions } from '../engine';
import type { WindowSpec } from '../window-spec';

/** A test record: the key it is windowed by, its event time, and a name to recognise it in a window's contents. */
export interface Rec {
  readonly key: string;
  readonly t: number;
  readonly id: string;
}

export const rec = (key: string, t: number, id = `${key}${t}`): Rec => ({ key, t, id });

type Collected = [number, string][];

/** Collects what went into a window, so a test can state a window's contents instead of a number derived from them. */
export const collect: Aggregator<Rec, Collected, string[]> = {
  init: () => [],
  add: (acc, r) => [...acc, [r.t, r.id]],
  merge: (a, b) => [...a, ...b],
  result: (acc) => [...acc].sort(([ta, a], [tb, b]) => ta - tb || (a < b ? -1 : a > b ? 1 : 0)).map(([, id]) => id),
};

export type TestEngine = WindowEngine<Rec, Collected, string[]>;

export const engineFor = (
  window: WindowSpec,
  options: Partial<Omit<WindowEngineOptions<Rec, Collected, string[]>, 'window'>> = {},
): TestEngine =>
  new WindowEngine<Rec, Collected, string[]>({
    window,
    aggregator: collect,
    keyOf: (r) => r.key,
    eventTimeOf: (r) => r.t,
    ...options,
  });

/** One line per emission, e.g. `a 0..60 r0: a1 a30` (key, window start..end, revision, contents in time order). */
export function lines(out: EngineOutput<Rec, string[]>): string[] {
  return out.emitted.map((e) =>
    e.type === 'result'
      ? `${e.key} ${e.window.start}..${e.window.end} r${e.revision}: ${e.result.join(' ')}`
      : `${e.key} ${e.window.start}..${e.window.end} r${e.revision}: retracted`,
  );
}

/** Feeds records on one partition at a fixed clock and returns every emission line, in order. */
export function feed(engine: TestEngine, records: readonly Rec[], partition = 0, now = 0): string[] {
  return records.flatMap((r) => lines(engine.add(partition, r, now)));
}
