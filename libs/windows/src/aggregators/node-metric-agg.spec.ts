import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WindowResult } from '../emission';
import { WindowEngine } from '../engine';
import { tumbling } from '../window-spec';
import {
  nodeMetricAggregator,
  nodeMetricKey,
  toNodeMetricAgg,
  type NodeMetricAggResult,
  type NodeMetricSample,
} from './node-metric-agg';

const S = 1000;
const MIN = 60 * S;

const sample = (over: Partial<NodeMetricSample> & Pick<NodeMetricSample, 'value' | 'event_time'>): NodeMetricSample => ({
  node_id: 'n1',
  metric: 'cpu_usage',
  unit: 'cores',
  utilisation: null,
  missing_fields: [],
  ...over,
});

const engine = (retentionMs = 0) =>
  new WindowEngine({
    window: tumbling({ sizeMs: MIN, retentionMs }),
    aggregator: nodeMetricAggregator,
    keyOf: nodeMetricKey,
    eventTimeOf: (s: NodeMetricSample) => s.event_time,
  });

function results(e: ReturnType<typeof engine>, samples: readonly NodeMetricSample[]) {
  return samples.flatMap((s) => e.add(0, s, 0).emitted).filter((x): x is WindowResult<NodeMetricAggResult> => x.type === 'result');
}

/** A sample on another node that only moves the watermark on. */
const clock = (t: number) => sample({ node_id: 'clock', value: 0, event_time: t });

describe('nodeMetricAggregator', () => {
  it('aggregates value, utilisation and missing fields of one window as computed by hand', () => {
    const [emitted] = results(engine(), [
      sample({ value: 2, utilisation: 0.5, event_time: 1 * S }),
      sample({ value: 4, event_time: 10 * S, missing_fields: ['capacity'] }),
      sample({ value: 3, utilisation: 0.25, event_time: 20 * S }),
      sample({ value: 1, event_time: 59 * S, missing_fields: ['capacity', 'metadata'] }),
      clock(MIN),
    ]);
    expect(emitted && toNodeMetricAgg(emitted)).toEqual({
      node_id: 'n1',
      metric: 'cpu_usage',
      unit: 'cores',
      window_start: 0,
      window_end: MIN,
      revision: 0,
      count: 4,
      sum: 10,
      min: 1,
      max: 4,
      mean: 2.5,
      utilisation_count: 2,
      utilisation_sum: 0.75,
      utilisation_min: 0.25,
      utilisation_max: 0.5,
      utilisation_mean: 0.375,
      missing_fields: { capacity: 2, metadata: 1 },
      total_count: 4,
      total_missing_fields: { capacity: 2, metadata: 1 },
    });
  });

  it('reports null utilisation statistics when no sample had a utilisation', () => {
    const [emitted] = results(engine(), [sample({ value: 7, event_time: 0 }), clock(MIN)]);
    expect(emitted?.result).toMatchObject({
      count: 1,
      mean: 7,
      utilisation_count: 0,
      utilisation_sum: null,
      utilisation_min: null,
      utilisation_max: null,
      utilisation_mean: null,
      missing_fields: {},
    });
  });

  it('keeps running totals since the first sample, across windows whose state was already purged', () => {
    // Retention 1 min: the first window is gone by the time the third closes, its counts live on in the totals.
    const e = engine(MIN);
    const emitted = results(e, [
      sample({ value: 1, event_time: 0, missing_fields: ['capacity'] }),
      sample({ value: 1, event_time: 30 * S }),
      sample({ value: 1, event_time: MIN + 1 }),
      sample({ value: 1, event_time: 2 * MIN, missing_fields: ['metadata'] }),
      sample({ value: 1, event_time: 2 * MIN + 5 * S, missing_fields: ['capacity'] }),
      sample({ value: 1, event_time: 2 * MIN + 6 * S }),
      clock(3 * MIN),
    ]);
    const rows = emitted.map(({ result: r }) => [r.window_start / MIN, r.count, r.total_count, r.total_missing_fields]);
    expect(rows).toEqual([
      [0, 2, 2, { capacity: 1 }],
      [1, 1, 3, { capacity: 1 }],
      [2, 3, 6, { capacity: 2, metadata: 1 }],
    ]);
    // n1 holds its last window plus the carry of the two purged ones.
    expect(e.stats()).toMatchObject({ retainedWindows: 1, keys: 2 });
  });

  it('corrects a window and the totals of every later closed window when a late sample arrives', () => {
    const e = engine(2 * MIN);
    results(e, [sample({ value: 1, event_time: 0 }), sample({ value: 1, event_time: MIN }), clock(2 * MIN)]);
    const corrected = results(e, [sample({ value: 5, event_time: 30 * S })]);
    const rows = corrected.map(({ window, revision, result: r }) => [window.start / MIN, revision, r.count, r.sum, r.total_count]);
    expect(rows).toEqual([
      [0, 1, 2, 6, 2],
      [1, 1, 1, 1, 3],
    ]);
  });

  it('keeps node and metric apart in the key however their names are spelled', () => {
    expect(nodeMetricKey({ node_id: 'a', metric: 'b:c' })).not.toBe(nodeMetricKey({ node_id: 'a:b', metric: 'c' }));
  });

  it('merges as if the records had been added one by one', () => {
    const [s1, s2, s3] = [
      sample({ value: 2, utilisation: 0.5, event_time: 0 }),
      sample({ value: 8, event_time: 1, missing_fields: ['capacity'] }),
      sample({ value: 0.5, utilisation: 0.125, event_time: 2, unit: 'ignored' }),
    ];
    const { init, add, merge } = nodeMetricAggregator;
    const oneByOne = add(add(add(init(), s1), s2), s3);
    expect(merge?.(add(add(init(), s1), s2), add(init(), s3))).toEqual(oneByOne);
    expect(merge?.(init(), oneByOne)).toEqual(oneByOne);
  });

  it('produces exactly the fields of the NodeMetricAgg schema, null only where the schema allows it', () => {
    const avsc = JSON.parse(
      readFileSync(join(__dirname, '../../../schemas/avro/node-metric-agg/v1.avsc'), 'utf8'),
    ) as { fields: { name: string; type: unknown }[] };
    const [emitted] = results(engine(), [sample({ value: 1, event_time: 0 }), clock(MIN)]);
    const value = emitted === undefined ? {} : (toNodeMetricAgg(emitted) as unknown as Record<string, unknown>);
    expect(Object.keys(value).sort()).toEqual(avsc.fields.map((f) => f.name).sort());
    const nullable = avsc.fields.filter((f) => Array.isArray(f.type) && f.type.includes('null')).map((f) => f.name);
    const nulls = Object.entries(value).filter(([, v]) => v === null).map(([k]) => k);
    expect(nulls.every((k) => nullable.includes(k))).toBe(true);
  });
});
