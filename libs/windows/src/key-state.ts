/** One window of one key, as held in memory. */
export interface WindowState<A> {
  start: number;
  end: number;
  acc: A;
  /** The last emitted revision; null while the window has never been emitted. */
  revision: number | null;
  /** Emitted and not touched since; a late record reopens it until the engine re-closes it (normally at once). */
  closed: boolean;
}

/** A sliding-window record time with the accumulator of the records at that time (`add(init(), record)`, merged). */
export interface Entry<A> {
  time: number;
  acc: A;
}

/** Everything the engine holds for one key. */
export interface KeyState<A> {
  /** Input partition of the key's latest record: where a changelog entry for it belongs, and what a revoke drops. */
  partition: number;
  /**
   * The combined watermark when this key last changed. Decisions about the key's records use the larger of this and
   * the engine's watermark, so a key restored into an engine whose watermark is behind never reopens a purged window.
   */
  watermark: number | null;
  windows: Map<number, WindowState<A>>;
  /** Sliding windows only: record times still needed to build windows a future record may create. */
  entries: Entry<A>[];
  /** Running-total aggregators only: the merge of every purged window. */
  carried: A | null;
}

/** The JSON form of a key's state: what a snapshot holds and a changelog entry carries. */
export interface KeyStateJson<A> {
  readonly partition: number;
  readonly watermark: number | null;
  readonly windows: readonly {
    readonly start: number;
    readonly end: number;
    readonly acc: A;
    readonly revision: number | null;
    readonly closed: boolean;
  }[];
  readonly entries: readonly { readonly time: number; readonly acc: A }[];
  readonly carried: A | null;
}

export const emptyKeyState = <A>(partition: number): KeyState<A> => ({
  partition,
  watermark: null,
  windows: new Map(),
  entries: [],
  carried: null,
});

export const isEmptyKeyState = <A>(s: KeyState<A>) => s.windows.size === 0 && s.entries.length === 0 && s.carried === null;

/** Open and retained windows, and accumulators held (windows, sliding entries, running-total carries), for metrics. */
export function countState<A>(states: Iterable<KeyState<A>>) {
  let openWindows = 0;
  let retainedWindows = 0;
  let stateEntries = 0;
  for (const state of states) {
    for (const w of state.windows.values()) {
      if (w.closed) retainedWindows++;
      else openWindows++;
    }
    stateEntries += state.windows.size + state.entries.length + (state.carried === null ? 0 : 1);
  }
  return { openWindows, retainedWindows, stateEntries };
}

/** A deep copy through JSON: what leaves the engine is detached from live state and provably serialisable. */
export const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function keyStateToJson<A>(s: KeyState<A>): KeyStateJson<A> {
  return jsonCopy({
    partition: s.partition,
    watermark: s.watermark,
    windows: [...s.windows.values()].sort((a, b) => a.start - b.start),
    entries: s.entries,
    carried: s.carried,
  });
}

export function keyStateFromJson<A>(json: KeyStateJson<A>): KeyState<A> {
  const copy = jsonCopy(json);
  return {
    partition: copy.partition,
    watermark: copy.watermark,
    windows: new Map(copy.windows.map((w) => [w.start, { ...w }])),
    entries: copy.entries.map((e) => ({ ...e })),
    carried: copy.carried,
  };
}
