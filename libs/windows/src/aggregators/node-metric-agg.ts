import type { NodeMetricAgg } from '@meterline/schemas';
import type { Aggregator } from '../aggregator';
import type { WindowResult } from '../emission';
import type { Window } from '../window';

/** What the enrichment aggregate needs of an enriched sample; the service maps its record onto this. */
export interface NodeMetricSample {
  readonly node_id: string;
  readonly metric: string;
  readonly unit: string;
  readonly value: number;
  /** value / capacity; null when capacity is missing or 0. */
  readonly utilisation: number | null;
  readonly event_time: number;
  /** Fields the sample lacked, by name (`capacity`, `metadata`, ...). */
  readonly missing_fields: readonly string[];
}

/** Plain JSON: min and max are null rather than ±Infinity while nothing was added, because JSON has no Infinity. */
export interface NodeMetricAcc {
  readonly node_id: string;
  readonly metric: string;
  readonly unit: string;
  readonly count: number;
  readonly sum: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly utilisation_count: number;
  readonly utilisation_sum: number;
  readonly utilisation_min: number | null;
  readonly utilisation_max: number | null;
  readonly missing_fields: Readonly<Record<string, number>>;
}

/** `NodeMetricAgg` (libs/schemas/avro/node-metric-agg/v1.avsc) without `revision`, which the engine assigns. */
/** A window's aggregate: `NodeMetricAgg` (the schema's record) without the revision, which the engine assigns. */
export type NodeMetricAggResult = Omit<NodeMetricAgg, 'revision'>;

export type NodeMetricAggValue = NodeMetricAgg;

/** The engine key of a sample: one window series per node and metric. JSON keeps it unambiguous for any names. */
export const nodeMetricKey = (s: Pick<NodeMetricSample, 'node_id' | 'metric'>): string => JSON.stringify([s.node_id, s.metric]);

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function addCounts(into: Readonly<Record<string, number>>, from: Readonly<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = { ...into };
  for (const [field, n] of Object.entries(from)) sum[field] = (sum[field] ?? 0) + n;
  return sum;
}

function merge(a: NodeMetricAcc, b: NodeMetricAcc): NodeMetricAcc {
  return {
    node_id: a.node_id || b.node_id,
    metric: a.metric || b.metric,
    // The first non-empty unit: units are normalised upstream, so one series has one unit.
    unit: a.unit || b.unit,
    count: a.count + b.count,
    sum: a.sum + b.sum,
    min: minOf(a.min, b.min),
    max: maxOf(a.max, b.max),
    utilisation_count: a.utilisation_count + b.utilisation_count,
    utilisation_sum: a.utilisation_sum + b.utilisation_sum,
    utilisation_min: minOf(a.utilisation_min, b.utilisation_min),
    utilisation_max: maxOf(a.utilisation_max, b.utilisation_max),
    missing_fields: addCounts(a.missing_fields, b.missing_fields),
  };
}

const init = (): NodeMetricAcc => ({
  node_id: '',
  metric: '',
  unit: '',
  count: 0,
  sum: 0,
  min: null,
  max: null,
  utilisation_count: 0,
  utilisation_sum: 0,
  utilisation_min: null,
  utilisation_max: null,
  missing_fields: {},
});

function single(s: NodeMetricSample): NodeMetricAcc {
  const u = s.utilisation;
  const missing: Record<string, number> = {};
  for (const field of s.missing_fields) missing[field] = (missing[field] ?? 0) + 1;
  return {
    node_id: s.node_id,
    metric: s.metric,
    unit: s.unit,
    count: 1,
    sum: s.value,
    min: s.value,
    max: s.value,
    utilisation_count: u === null ? 0 : 1,
    utilisation_sum: u ?? 0,
    utilisation_min: u,
    utilisation_max: u,
    missing_fields: missing,
  };
}

/**
 * The enrichment service's tumbling per node+metric aggregate, shaped as `NodeMetricAgg`: count, sum, min, max, mean of
 * value; the same over the samples that have a utilisation (null when none has); missing-field counts by field (only
 * fields that were missing appear); and, as an interval/total counter has, running totals since the key's first sample:
 * `total_count` and `total_missing_fields` count every accepted sample of the key up to this window's end, so in the
 * latest revisions they equal a cumulative SUM over the key's windows. Records returned as late are in neither.
 */
export const nodeMetricAggregator: Aggregator<NodeMetricSample, NodeMetricAcc, NodeMetricAggResult> = {
  runningTotals: true,
  init,
  add: (acc, sample) => merge(acc, single(sample)),
  merge,
  result(acc: NodeMetricAcc, window: Window, running?: NodeMetricAcc): NodeMetricAggResult {
    const total = running ?? acc;
    const hasUtilisation = acc.utilisation_count > 0;
    return {
      node_id: acc.node_id,
      metric: acc.metric,
      unit: acc.unit,
      window_start: window.start,
      window_end: window.end,
      count: acc.count,
      sum: acc.sum,
      // A window exists only because a sample fell in it, so min and max are never null here.
      min: acc.min ?? Number.NaN,
      max: acc.max ?? Number.NaN,
      mean: acc.sum / acc.count,
      utilisation_count: acc.utilisation_count,
      utilisation_sum: hasUtilisation ? acc.utilisation_sum : null,
      utilisation_min: acc.utilisation_min,
      utilisation_max: acc.utilisation_max,
      utilisation_mean: hasUtilisation ? acc.utilisation_sum / acc.utilisation_count : null,
      missing_fields: { ...acc.missing_fields },
      total_count: total.count,
      total_missing_fields: { ...total.missing_fields },
    };
  },
};

/** The `metrics.node.agg.v1` value for an emitted window: the result plus the engine's revision. */
export const toNodeMetricAgg = (e: WindowResult<NodeMetricAggResult>): NodeMetricAggValue => ({
  ...e.result,
  revision: e.revision,
});
