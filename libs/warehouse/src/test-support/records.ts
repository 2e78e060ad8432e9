import type { NodeMetadata, NodeMetricAgg, NodeMetricEnriched } from '@meterline/schemas';
import type { TableRecords } from '../warehouse';

export const ENRICHED_TOPIC = 'metrics.node.enriched.v1';
export const AGG_TOPIC = 'metrics.node.agg.v1';
export const METADATA_TOPIC = 'metadata.node.v1';

const T0 = Date.UTC(2024, 2, 14, 9, 30, 0);

/** An enriched CPU sample of node-<n>, measured `seconds` after 09:30 on 2024-03-14. */
export const enriched = (overrides: Partial<NodeMetricEnriched> = {}): NodeMetricEnriched => ({
  node_id: 'node-1',
  metric: 'cpu_usage',
  value: 3.25,
  capacity: 4,
  unit: 'cores',
  event_time: T0,
  source: 'remote_write',
  labels: { job: 'node-exporter', cluster: 'prod-eu' },
  metadata_status: 'joined',
  instance_type: 'm5.xlarge',
  zone: 'eu-west-1a',
  node_labels: { 'kubernetes.io/os': 'linux' },
  metadata_updated_at: T0 - 1_800_000,
  utilisation: 0.8125,
  ...overrides,
});

export const factRecord = (
  offset: number,
  value: NodeMetricEnriched = enriched(),
  partition = 0,
): TableRecords['fact_node_metric'] => ({ topic: ENRICHED_TOPIC, partition, offset: String(offset), value });

/** `count` distinct samples spread over `partitions` partitions, offsets counting from `firstOffset` per partition. */
export function factRecords(count: number, options: { partitions?: number; firstOffset?: number } = {}): TableRecords['fact_node_metric'][] {
  const partitions = options.partitions ?? 1;
  return Array.from({ length: count }, (_, i) =>
    factRecord(
      (options.firstOffset ?? 0) + Math.floor(i / partitions),
      enriched({
        node_id: `node-${i % 7}`,
        metric: i % 2 === 0 ? 'cpu_usage' : 'memory_usage',
        value: i * 0.5,
        capacity: i % 5 === 0 ? null : 8,
        utilisation: i % 5 === 0 ? null : (i * 0.5) / 8,
        event_time: T0 + i * 1000,
        labels: i % 3 === 0 ? {} : { job: 'node-exporter', shard: String(i % 3) },
        instance_type: i % 4 === 0 ? null : 'm5.xlarge',
      }),
      i % partitions,
    ),
  );
}

export const WINDOW_START = Date.UTC(2024, 2, 14, 9, 0, 0);

export const agg = (overrides: Partial<NodeMetricAgg> = {}): NodeMetricAgg => ({
  node_id: 'node-1',
  metric: 'cpu_usage',
  unit: 'cores',
  window_start: WINDOW_START,
  window_end: WINDOW_START + 300_000,
  revision: 0,
  count: 10,
  sum: 30,
  min: 1,
  max: 5,
  mean: 3,
  utilisation_count: 10,
  utilisation_sum: 7.5,
  utilisation_min: 0.25,
  utilisation_max: 1.25,
  utilisation_mean: 0.75,
  missing_fields: {},
  total_count: 10,
  total_missing_fields: { capacity: 0 },
  ...overrides,
});

export const aggRecord = (offset: number, value: NodeMetricAgg, partition = 0): TableRecords['agg_node_metric'] => ({
  topic: AGG_TOPIC,
  partition,
  offset: String(offset),
  value,
});

export const metadata = (overrides: Partial<NodeMetadata> = {}): NodeMetadata => ({
  node_id: 'node-1',
  instance_type: 'm5.xlarge',
  zone: 'eu-west-1a',
  labels: { 'kubernetes.io/os': 'linux' },
  updated_at: WINDOW_START,
  ...overrides,
});

export const metadataRecord = (offset: number, value: NodeMetadata, timestamp = value.updated_at + 50): TableRecords['dim_node'] => ({
  topic: METADATA_TOPIC,
  partition: 0,
  offset: String(offset),
  key: value.node_id,
  value,
  timestamp,
});

export const tombstone = (offset: number, nodeId: string, timestamp: number): TableRecords['dim_node'] => ({
  topic: METADATA_TOPIC,
  partition: 0,
  offset: String(offset),
  key: nodeId,
  value: null,
  timestamp,
});
