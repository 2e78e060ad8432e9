import { DAY_MS, defineTopic } from './define-topic';
import {
  nodeIdSchema,
  nodeMetadataSchema,
  nodeMetricAggSchema,
  nodeMetricEnrichedSchema,
  nodeMetricRawSchema,
  nodeWindowKeySchema,
  stateEntrySchema,
  stateKeySchema,
} from './generated';
import { topicName } from './topic-name';
import type { AnyTopicSpec } from './topic-spec';

/**
 * One partition count for every topic keyed by node id: equal counts put a node on the same partition number in each
 * topic (co-partitioning, which a per-partition join would need). Six caps a consumer group at six busy instances.
 */
const NODE_PARTITIONS = 6;

/** One sample per record, from every source; ingest → enrichment. */
export const nodeMetricRawTopic = defineTopic({
  name: 'metrics.node.raw.v1',
  key: nodeIdSchema,
  value: nodeMetricRawSchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'delete',
  // Counted from append time (see defineTopic): a week for enrichment to catch up or be replayed from the sources.
  retentionMs: 7 * DAY_MS,
});

/** The latest metadata per node (compacted; a null value removes the node); ingest → enrichment's table. */
export const nodeMetadataTopic = defineTopic({
  name: 'metadata.node.v1',
  key: nodeIdSchema,
  value: nodeMetadataSchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'compact',
  // Compaction alone never drops a node's latest record; -1 keeps it that way should `delete` ever join the policy.
  retentionMs: -1,
});

/** Raw samples joined with node metadata, with derived fields; enrichment → dwh-loader, feature-builder. */
export const nodeMetricEnrichedTopic = defineTopic({
  name: 'metrics.node.enriched.v1',
  key: nodeIdSchema,
  value: nodeMetricEnrichedSchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'delete',
  retentionMs: 7 * DAY_MS,
});

/**
 * Tumbling per-node aggregates; enrichment → dwh-loader. Keyed by node, metric and window so that compaction-minded
 * consumers (the warehouse's upsert) see one key per window; revisions of a window share its key.
 */
export const nodeMetricAggTopic = defineTopic({
  name: 'metrics.node.agg.v1',
  key: nodeWindowKeySchema,
  value: nodeMetricAggSchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'delete',
  retentionMs: 7 * DAY_MS,
});

/**
 * Enriched samples that came too late for a window whose state was already purged (past grace and retention): the
 * aggregates do not count them, and this topic is where they are instead of being dropped. Headers name the missed
 * windows. Kept as long as the inputs, for a correction job or a look at the lateness.
 */
export const nodeMetricLateTopic = defineTopic({
  name: 'metrics.node.late.v1',
  key: nodeIdSchema,
  value: nodeMetricEnrichedSchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'delete',
  retentionMs: 7 * DAY_MS,
});

/**
 * enrichment's durable state (Kafka Streams: a store's changelog): the latest state per store and key, written in the
 * same transaction as the outputs and offsets it belongs to. Co-partitioned with the raw topic — the entries of input
 * partition p live in partition p — so an instance restores exactly the partitions it is assigned.
 */
export const enrichmentChangelogTopic = defineTopic({
  name: 'enrichment.state.changelog.v1',
  key: stateKeySchema,
  value: stateEntrySchema,
  partitions: NODE_PARTITIONS,
  cleanupPolicy: 'compact',
  retentionMs: -1,
  // Restore reads the whole partition, so let the cleaner get to it within an hour instead of after a week-long segment.
  configs: { 'segment.ms': String(60 * 60 * 1000), 'min.cleanable.dirty.ratio': '0.1' },
});

/** Every topic of the catalog, in pipeline order. */
export const topics = [
  nodeMetricRawTopic,
  nodeMetadataTopic,
  nodeMetricEnrichedTopic,
  nodeMetricAggTopic,
  nodeMetricLateTopic,
  enrichmentChangelogTopic,
] as const;

/** The catalog entry for a topic name as used on the broker (with the same prefix, if any). */
export const topicByName = (name: string, prefix = ''): AnyTopicSpec | undefined =>
  topics.find((topic) => topicName(topic, prefix) === name);
