import type { NodeMetadata, NodeMetricRaw } from '@meterline/schemas';
import type { UnknownNodePolicy } from './config';
import { processSamples, punctuate, type StepContext, type StepResult } from './process';
import { EnrichmentState, type StateChange, type StateOptions } from './state';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const options: StateOptions = {
  windowSizeMs: MIN,
  windowGraceMs: 0,
  windowRetentionMs: 5 * MIN,
  allowedLatenessMs: 0,
  idleTimeoutMs: 30_000,
  dedupHorizonMs: 10 * MIN,
  holdTimeoutMs: 30_000,
  holdMaxRecords: 3,
};

const sample = (node: string, t: number, value = 1, capacity: number | null = 4): NodeMetricRaw => ({
  node_id: node,
  metric: 'cpu_usage',
  value,
  capacity,
  unit: 'cores',
  event_time: T0 + t,
  source: 'test',
  labels: {},
});
const meta = (node: string): NodeMetadata => ({ node_id: node, instance_type: 'm5.large', zone: 'z1', labels: {}, updated_at: T0 });

/** A context over a table the test changes, as the metadata topic would. */
function context(policy: UnknownNodePolicy, known: string[], state = new EnrichmentState(options)) {
  const table = new Map(known.map((n) => [n, meta(n)]));
  const ctx: StepContext = { state, metadata: (n) => table.get(n), policy };
  return { ctx, table, state };
}

const statuses = (r: StepResult) => r.enriched.map((e) => `${e.node_id}@${e.event_time - T0}:${e.metadata_status}`);

describe('processSamples: the join and the unknown-node policies', () => {
  it('joins samples of known nodes, with utilisation, and aggregates them per node and minute', () => {
    const { ctx } = context('hold', ['a']);
    const first = processSamples(ctx, 0, [sample('a', 0, 1), sample('a', 30_000, 3), sample('a', 59_999, 2)], 0);
    expect(first.enriched.map((e) => [e.metadata_status, e.utilisation])).toEqual([
      ['joined', 0.25],
      ['joined', 0.75],
      ['joined', 0.5],
    ]);
    expect(first.aggregates).toEqual([]);
    // The watermark passes the end of the first minute: it closes, once, with what was in it.
    const second = processSamples(ctx, 0, [sample('a', MIN, 10)], 0);
    expect(second.aggregates).toHaveLength(1);
    expect(second.aggregates[0]).toMatchObject({
      revision: 0,
      result: { node_id: 'a', window_start: T0, window_end: T0 + MIN, count: 3, sum: 6, min: 1, max: 3, mean: 2, utilisation_mean: 0.5 },
    });
    expect(second.outcomes).toEqual({ joined: 1 });
  });

  it('emits a sample of an unknown node marked unknown under `emit`', () => {
    const { ctx } = context('emit', []);
    const r = processSamples(ctx, 0, [sample('x', 0)], 0);
    expect(statuses(r)).toEqual(['x@0:unknown']);
    expect(r.outcomes).toEqual({ unknown: 1 });
  });

  it('rejects a sample of an unknown node with its position and a reason under `dlq`', () => {
    const { ctx } = context('dlq', ['a']);
    const r = processSamples(ctx, 0, [sample('a', 0), sample('x', 1), sample('a', 2)], 0);
    expect(statuses(r)).toEqual(['a@0:joined', 'a@2:joined']);
    expect(r.rejected).toEqual([{ index: 1, error: expect.objectContaining({ code: 'UNKNOWN_NODE', kind: 'poison' }) }]);
  });

  it('holds samples of an unknown node until its metadata arrives, then joins them in order', () => {
    const { ctx, table } = context('hold', []);
    expect(processSamples(ctx, 0, [sample('late', 0), sample('late', 1_000)], 0).enriched).toEqual([]);
    expect(punctuate(ctx, 0, 5_000).enriched).toEqual([]);
    table.set('late', meta('late'));
    const released = punctuate(ctx, 0, 6_000);
    expect(statuses(released)).toEqual(['late@0:joined', 'late@1000:joined']);
    expect(released.outcomes).toEqual({ released: 2 });
  });

  it('keeps a node\'s order: a sample arriving while older ones wait is held behind them', () => {
    const { ctx, table } = context('hold', []);
    processSamples(ctx, 0, [sample('n', 0)], 0);
    table.set('n', meta('n'));
    // Released at the start of the next call, before the new sample of the same node.
    expect(statuses(processSamples(ctx, 0, [sample('n', 1_000)], 1_000))).toEqual(['n@0:joined', 'n@1000:joined']);
  });

  it('lets a held sample go without metadata after the hold timeout, and the longest-waiting one when full', () => {
    const { ctx } = context('hold', []);
    processSamples(ctx, 0, [sample('p', 0), sample('q', 1), sample('r', 2)], 0);
    const full = processSamples(ctx, 0, [sample('s', 3)], 10_000);
    expect(statuses(full)).toEqual(['p@0:unknown']);
    expect(full.outcomes).toEqual({ held: 1, evicted: 1 });
    const expired = punctuate(ctx, 0, 30_001);
    expect(statuses(expired)).toEqual(['q@1:unknown', 'r@2:unknown']);
    expect(expired.outcomes).toEqual({ expired: 2 });
  });

  it('emits a repeated sample (same node, metric and event time) once', () => {
    const { ctx } = context('hold', ['a']);
    const r = processSamples(ctx, 0, [sample('a', 0, 1), sample('a', 0, 1), sample('a', 1, 1), sample('a', 0, 2)], 0);
    expect(statuses(r)).toEqual(['a@0:joined', 'a@1:joined']);
    expect(r.outcomes).toEqual({ joined: 2, duplicate: 2 });
  });
});

describe('processSamples: late samples', () => {
  it('corrects a retained window with revision + 1, and routes a sample older than retention to the late list', () => {
    const { ctx } = context('emit', ['a']);
    processSamples(ctx, 0, [sample('a', 0, 1), sample('a', MIN, 1)], 0);
    const corrected = processSamples(ctx, 0, [sample('a', 10, 5)], 0);
    expect(corrected.aggregates.map((a) => [a.window.start - T0, a.revision, a.result.count, a.result.sum])).toEqual([[0, 1, 2, 6]]);
    // Ten minutes on, the first window is past its retention: a sample for it is late, emitted but not aggregated.
    processSamples(ctx, 0, [sample('a', 10 * MIN, 1)], 0);
    const late = processSamples(ctx, 0, [sample('a', 20, 7)], 0);
    expect(statuses(late)).toEqual(['a@20:joined']);
    expect(late.aggregates).toEqual([]);
    expect(late.late.map((l) => [l.record.event_time - T0, l.windows.map((w) => w.start - T0)])).toEqual([[20, [0]]]);
  });

  it('lets an idle partition stop holding the watermark back, on the wall clock', () => {
    const { ctx, state } = context('emit', ['a', 'b']);
    state.assign([0, 1], 0);
    processSamples(ctx, 1, [sample('b', 0)], 0);
    // Partition 0 has delivered nothing: the watermark waits for it...
    expect(processSamples(ctx, 1, [sample('b', 2 * MIN)], 1_000).aggregates).toEqual([]);
    // ...until it has been idle for the timeout.
    expect(punctuate(ctx, 1, 31_000).aggregates.map((a) => a.key)).toEqual([JSON.stringify(['b', 'cpu_usage'])]);
  });

  it('does not wait for a partition assigned with nothing to read', () => {
    const { ctx, state } = context('emit', ['b']);
    state.assign([0, 1], 0, new Set([0]));
    processSamples(ctx, 1, [sample('b', 0)], 0);
    expect(processSamples(ctx, 1, [sample('b', 2 * MIN)], 1_000).aggregates.map((a) => a.window.start - T0)).toEqual([0]);
  });
});

describe('the changelog', () => {
  /** Replays changes as a compacted topic keeps them: the latest entry per (partition, store, key). */
  const compact = (changes: StateChange[]) => {
    const latest = new Map<string, StateChange>();
    for (const c of changes) latest.set(JSON.stringify([c.partition, c.store, c.key]), c);
    return [...latest.values()];
  };

  it('restores state so that a restarted instance produces exactly what an uninterrupted one would', () => {
    const inputs = [
      [sample('a', 0, 1), sample('u', 1_000, 2), sample('a', 20_000, 3), sample('a', 20_000, 3)],
      // Repeats across the restart points: only the dedup state knows they were seen.
      [sample('a', 61_000, 4), sample('b', 62_000, 5), sample('a', 30_000, 6), sample('a', 20_000, 3)],
      [sample('a', 125_000, 7), sample('b', 130_000, 8), sample('u', 131_000, 9), sample('a', 62_000, 1), sample('b', 62_000, 5)],
    ];
    const run = (restartAfter: number | undefined) => {
      const { table, ctx: first } = context('hold', ['a', 'b']);
      let ctx = first;
      const log: StateChange[] = [];
      const outputs: unknown[] = [];
      inputs.forEach((chunk, i) => {
        if (i === 2) table.set('u', meta('u'));
        const r = processSamples(ctx, 0, chunk, i * 1_000);
        log.push(...r.changes);
        outputs.push(statuses(r), r.aggregates, r.late, r.outcomes);
        if (i === restartAfter) {
          const restored = new EnrichmentState(options);
          for (const c of compact(log)) restored.restore(c.partition, c.store, c.key, c.json);
          restored.finishRestore();
          restored.assign([0], i * 1_000);
          ctx = { ...ctx, state: restored };
        }
      });
      return outputs;
    };
    const uninterrupted = run(undefined);
    expect(run(0)).toEqual(uninterrupted);
    expect(run(1)).toEqual(uninterrupted);
  });
});
