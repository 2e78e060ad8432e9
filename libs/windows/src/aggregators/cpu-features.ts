import type { Aggregator } from '../aggregator';
import type { Window } from '../window';
import { hopping, type HoppingSpec, type LifecycleOptions } from '../window-spec';

const MINUTE = 60_000;
export const FEATURE_STEP_MS = 10 * MINUTE;
export const FEATURE_SHORT_MS = 60 * MINUTE;
export const FEATURE_LONG_MS = 120 * MINUTE;

/** What feature-builder needs of a CPU sample. */
export interface CpuSample {
  readonly node_id: string;
  readonly cpu: number;
  readonly event_time: number;
}

interface PaneStats {
  readonly max: number;
  readonly sum: number;
  readonly count: number;
}

/** Per 10-minute pane `(e − 10 min, e]`, keyed by its end e (epoch ms as a string: JSON object keys are strings). */
export interface CpuFeaturesAcc {
  node_id: string;
  /** Updated in place by `add` and `merge` (the accumulator is the window's own); pane objects are replaced, never changed. */
  readonly panes: Record<string, PaneStats>;
}

/** The seed-000 feature vector of one node at one window end t. */
export interface CpuFeatures {
  readonly node_id: string;
  /** t, on the 10-minute grid. */
  readonly window_end: number;
  /** Over (t − 1h, t]; null when the node has no sample there. */
  readonly cpu_max_1h: number | null;
  readonly cpu_avg_1h: number | null;
  /** Over (t − 2h, t]. */
  readonly cpu_max_2h: number | null;
  readonly cpu_avg_2h: number | null;
  /** cpu_max_1h / cpu_max_2h; null when the denominator is 0 (or either side is null). */
  readonly cpu_max_ratio_1h_2h: number | null;
  readonly cpu_avg_ratio_1h_2h: number | null;
}

/**
 * The windows the features are computed on: 2 h hopping windows advancing by 10 min and closed on the right,
 * `(t − 2h, t]`, so they match the features' intervals exactly instead of the usual `[start, end)` — a sample at
 * exactly t counts towards the features at t, one at exactly t − 2h does not.
 */
export const cpuFeatureWindows = (lifecycle: LifecycleOptions = {}): HoppingSpec =>
  hopping({ sizeMs: FEATURE_LONG_MS, advanceMs: FEATURE_STEP_MS, closed: 'right', ...lifecycle });

/** The pane a sample belongs to, right-closed like the windows: a sample at exactly a grid point ends its pane. */
const paneEnd = (t: number) => Math.ceil(t / FEATURE_STEP_MS) * FEATURE_STEP_MS;

function combine(a: PaneStats | undefined, b: PaneStats): PaneStats {
  return a === undefined ? b : { max: Math.max(a.max, b.max), sum: a.sum + b.sum, count: a.count + b.count };
}

function summarise(panes: readonly PaneStats[]): { max: number | null; avg: number | null } {
  if (panes.length === 0) return { max: null, avg: null };
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  for (const p of panes) {
    max = Math.max(max, p.max);
    sum += p.sum;
    count += p.count;
  }
  return { max, avg: sum / count };
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? null : a / b);

/**
 * The 1 h window ending at t is the last six 10-minute panes of the 2 h window ending at t (both right-closed, both on
 * the grid), so one 2 h hopping window yields both horizons, already joined and revised together: a late sample
 * re-emits every 2 h window it lands in, and with it the 1 h features of those ends. The windows are exactly those a
 * 1 h and a 2 h hopping window with a 10-minute advance produce (the spec checks both against a brute-force
 * computation). A node gets a vector at t only when it has a sample in (t − 2h, t].
 */
export const cpuFeaturesAggregator: Aggregator<CpuSample, CpuFeaturesAcc, CpuFeatures> = {
  init: () => ({ node_id: '', panes: {} }),
  // A record lands in twelve windows, so `add` updates in place rather than copying twelve accumulators per record.
  add(acc, sample) {
    const key = String(paneEnd(sample.event_time));
    acc.panes[key] = combine(acc.panes[key], { max: sample.cpu, sum: sample.cpu, count: 1 });
    acc.node_id ||= sample.node_id;
    return acc;
  },
  merge(a, b) {
    for (const [key, stats] of Object.entries(b.panes)) a.panes[key] = combine(a.panes[key], stats);
    a.node_id ||= b.node_id;
    return a;
  },
  result(acc: CpuFeaturesAcc, window: Window): CpuFeatures {
    // Sorted so that sums add up in the same order however the accumulator was built or restored.
    const panes = Object.entries(acc.panes)
      .map(([end, stats]) => ({ end: Number(end), stats }))
      .sort((a, b) => a.end - b.end);
    const long = summarise(panes.map((p) => p.stats));
    const short = summarise(panes.filter((p) => p.end > window.end - FEATURE_SHORT_MS).map((p) => p.stats));
    return {
      node_id: acc.node_id,
      window_end: window.end,
      cpu_max_1h: short.max,
      cpu_avg_1h: short.avg,
      cpu_max_2h: long.max,
      cpu_avg_2h: long.avg,
      cpu_max_ratio_1h_2h: ratio(short.max, long.max),
      cpu_avg_ratio_1h_2h: ratio(short.avg, long.avg),
    };
  },
};

export const cpuFeaturesKey = (s: Pick<CpuSample, 'node_id'>): string => s.node_id;
