import type { NodeMetadata, NodeMetricEnriched, NodeMetricRaw } from '@meterline/schemas';
import { fatalError, poisonError, type MeterlineError } from '@meterline/stream';
import type { LateRecord, NodeMetricAggResult, WindowResult } from '@meterline/windows';
import type { UnknownNodePolicy } from './config';
import { enrich } from './enrich';
import type { EnrichmentState, StateChange } from './state';

/** What became of a sample: the join, hold and dedup metrics count these. */
export type SampleOutcome = 'joined' | 'unknown' | 'held' | 'released' | 'expired' | 'evicted' | 'dlq' | 'duplicate';

export interface StepContext {
  readonly state: EnrichmentState;
  readonly metadata: (nodeId: string) => NodeMetadata | undefined;
  readonly policy: UnknownNodePolicy;
}

/** Everything one call produced; the service turns it into one Kafka transaction. */
export interface StepResult {
  /** In the order they are to be produced. */
  readonly enriched: NodeMetricEnriched[];
  /** Window emissions: first results and late corrections (revision > 0). */
  readonly aggregates: WindowResult<NodeMetricAggResult>[];
  /** Samples too late for a window whose state was already purged: for the late topic. */
  readonly late: LateRecord<NodeMetricEnriched>[];
  /** Input positions rejected by the `dlq` policy, with the reason. */
  readonly rejected: { readonly index: number; readonly error: MeterlineError }[];
  readonly changes: StateChange[];
  readonly outcomes: Partial<Record<SampleOutcome, number>>;
}

const emptyResult = (): StepResult => ({ enriched: [], aggregates: [], late: [], rejected: [], changes: [], outcomes: {} });

const count = (r: StepResult, outcome: SampleOutcome, n = 1) => {
  if (n > 0) r.outcomes[outcome] = (r.outcomes[outcome] ?? 0) + n;
};

/**
 * The raw samples of one partition, in offset order, through the steps: release what waited → dedup → join (or the
 * unknown-node policy) → derived fields → windows. `now` is the caller's clock: the hold timeout and partition
 * idleness are wall-clock matters; everything about windows is event time.
 */
export function processSamples(ctx: StepContext, partition: number, samples: readonly NodeMetricRaw[], now: number): StepResult {
  const result = emptyResult();
  const { dedup, hold } = ctx.state.stores(partition);
  releaseHeld(ctx, partition, now, result);
  samples.forEach((raw, index) => {
    if (dedup.isRepeat(raw.node_id, raw.metric, raw.event_time)) return count(result, 'duplicate');
    const metadata = ctx.metadata(raw.node_id);
    // Metadata of held nodes was looked up by releaseHeld, and the table does not change during this call.
    if (metadata) {
      count(result, 'joined');
      return window(ctx, partition, enrich(raw, metadata), now, result);
    }
    switch (ctx.policy) {
      case 'emit':
        count(result, 'unknown');
        return window(ctx, partition, enrich(raw, undefined), now, result);
      case 'dlq':
        count(result, 'dlq');
        result.rejected.push({ index, error: poisonError('UNKNOWN_NODE', `no metadata for node ${raw.node_id}`) });
        return;
      case 'hold': {
        count(result, 'held');
        const evicted = hold.hold(raw, now);
        count(result, 'evicted', evicted.length);
        for (const e of evicted) window(ctx, partition, enrich(e, undefined), now, result);
      }
    }
  });
  result.changes.push(...ctx.state.drain());
  return result;
}

/** Wall-clock time passing without records: held samples may go, idle partitions may let windows close. */
export function punctuate(ctx: StepContext, partition: number, now: number): StepResult {
  const result = emptyResult();
  releaseHeld(ctx, partition, now, result);
  collect(ctx.state.engine.tick(now), result);
  result.changes.push(...ctx.state.drain());
  return result;
}

function releaseHeld(ctx: StepContext, partition: number, now: number, result: StepResult): void {
  const { hold } = ctx.state.stores(partition);
  if (hold.size === 0) return;
  const { known, expired } = hold.release((node) => ctx.metadata(node) !== undefined, now);
  count(result, 'released', known.length);
  count(result, 'expired', expired.length);
  for (const raw of known) window(ctx, partition, enrich(raw, ctx.metadata(raw.node_id)), now, result);
  for (const raw of expired) window(ctx, partition, enrich(raw, undefined), now, result);
}

function window(ctx: StepContext, partition: number, e: NodeMetricEnriched, now: number, result: StepResult): void {
  result.enriched.push(e);
  collect(ctx.state.engine.add(partition, e, now), result);
}

function collect(out: ReturnType<EnrichmentState['engine']['tick']>, result: StepResult): void {
  for (const emission of out.emitted) {
    // Tumbling windows never merge, so a retraction (a session-window event) means a misconfigured engine.
    if (emission.type !== 'result') throw fatalError('WINDOW_RETRACTION', 'tumbling windows emitted a retraction');
    result.aggregates.push(emission);
  }
  result.late.push(...out.late);
}
