import { emit, encodeEmit, type ConsumedRecord, type RecordContext, type TaskOutput, type TopicHandle } from '@meterline/kafka';
import type { NodeMetricAgg, NodeMetricEnriched, NodeMetricRaw, NodeWindowKey, StateEntry, StateKey } from '@meterline/schemas';
import type { Item } from '@meterline/stream';
import { toNodeMetricAgg } from '@meterline/windows';
import type { StepResult } from './process';

/** The topics enrichment writes. */
export interface EnrichmentTopics {
  readonly enriched: TopicHandle<string, NodeMetricEnriched>;
  readonly aggregates: TopicHandle<NodeWindowKey, NodeMetricAgg>;
  readonly late: TopicHandle<string, NodeMetricEnriched>;
  readonly changelog: TopicHandle<StateKey, StateEntry | null>;
}

/**
 * One step's result as the runner's transaction: enriched samples, aggregates, late samples (with the windows they
 * missed in a header), dead letters of the `dlq` policy, and the changelog entries — each in the changelog partition
 * of the input partition it belongs to, not where its key would hash.
 */
export function taskOutput(
  topics: EnrichmentTopics,
  result: StepResult,
  items: readonly Item<ConsumedRecord<string, NodeMetricRaw>, RecordContext>[] = [],
): TaskOutput {
  const emits = [
    ...result.enriched.map((e) => emit(topics.enriched, e.node_id, e)),
    ...result.aggregates.map((a) => {
      const value = toNodeMetricAgg(a);
      return emit(topics.aggregates, { node_id: value.node_id, metric: value.metric, window_start: value.window_start }, value);
    }),
    ...result.late.map((l) =>
      emit(topics.late, l.record.node_id, l.record, { 'late.windows': JSON.stringify(l.windows), 'late.partition': String(l.partition) }),
    ),
  ];
  const rejected = result.rejected.flatMap(({ index, error }) => {
    const item = items[index];
    return item ? [{ ctx: item.ctx, step: 'join', error }] : [];
  });
  const messages = result.changes.map((c) => ({
    ...encodeEmit(emit(topics.changelog, { store: c.store, key: c.key }, c.json === null ? null : { json: c.json })),
    partition: c.partition,
  }));
  return { emits, rejected, ...(messages.length > 0 ? { state: [{ topic: topics.changelog.name, messages }] } : {}) };
}
