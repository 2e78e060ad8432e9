import { DAY_MS, defineTopic } from './define-topic';
import {
  nodeIdSchema,
  nodeMetadataSchema,
  nodeMetricAggSchema,
  nodeMetricEnrichedSchema,
  nodeMetricRawSchema,
  nodeWindowKeySchema,
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

/** Every topic of the catalog, in pipeline order. */
export const topics = [nodeMetricRawTopic, nodeMetadataTopic, nodeMetricEnrichedTopic, nodeMetricAggTopic] as const;

/** The catalog entry for a topic name as used on the broker (with the same prefix, if any). */
export const topicByName = (name: string, prefix = ''): AnyTopicSpec | undefined =>
  topics.find((topic) => topicName(topic, prefix) === name);
