import type { NodeMetadata, NodeMetricAgg, NodeMetricEnriched, NodeWindowKey } from '@meterline/schemas';

const T0 = Date.UTC(2024, 8, 2, 6, 0, 0);
const WINDOW_MS = 5 * 60_000;

/**
 * `count` enriched samples from `from` on (so rounds of a test continue the sequence): 24 nodes, two metrics, some
 * without capacity, metadata or labels; values with fractions, so a lossy column would show.
 */
export function enrichedInput(count: number, from = 0): NodeMetricEnriched[] {
  return Array.from({ length: count }, (_, j): NodeMetricEnriched => {
    const i = from + j;
    const node = i % 24;
    const capacity = i % 7 === 0 ? null : node % 2 === 0 ? 8 : 16;
    const value = ((i * 37) % 1000) / 40;
    const joined = i % 11 !== 0;
    return {
      node_id: `ip-10-0-${node}.eu-west-1.compute.internal`,
      metric: i % 2 === 0 ? 'cpu_usage' : 'memory_usage',
      value,
      capacity,
      unit: i % 2 === 0 ? 'cores' : 'bytes',
      event_time: T0 + Math.floor(i / 24) * 15_000,
      source: i % 3 === 0 ? 'remote_write' : 'replay',
      labels: i % 5 === 0 ? {} : { job: 'node-exporter', shard: String(i % 4) },
      metadata_status: joined ? 'joined' : 'unknown',
      instance_type: joined ? (node % 3 === 0 ? 'm5.xlarge' : 'c5.2xlarge') : null,
      zone: joined ? `eu-west-1${'abc'[node % 3] ?? 'a'}` : null,
      node_labels: joined ? { 'kubernetes.io/os': 'linux', pool: node % 2 === 0 ? 'general' : 'compute' } : {},
      metadata_updated_at: joined ? T0 - 3_600_000 : null,
      utilisation: capacity === null ? null : value / capacity,
    };
  });
}

export interface AggInput {
  readonly key: NodeWindowKey;
  readonly value: NodeMetricAgg;
}

/**
 * Window aggregates of 6 nodes × 2 metrics × `windows` windows. Windows get up to three revisions; some revisions
 * arrive out of order (a lower one after a higher one: it must not win) and some twice with different figures (the
 * first one loaded wins a tie).
 */
export function aggInput(windows: number): AggInput[] {
  const out: AggInput[] = [];
  for (let w = 0; w < windows; w++) {
    for (let node = 0; node < 6; node++) {
      for (const metric of ['cpu_usage', 'memory_usage']) {
        const n = w * 12 + node * 2 + (metric === 'cpu_usage' ? 0 : 1);
        const revisions = n % 4 === 0 ? [0, 2, 1] : n % 4 === 1 ? [0, 1, 1] : n % 4 === 2 ? [0] : [1, 0];
        revisions.forEach((revision, k) => out.push(aggregate(`ip-10-0-${node}.eu-west-1.compute.internal`, metric, T0 + w * WINDOW_MS, revision, n * 10 + k)));
      }
    }
  }
  return out;
}

function aggregate(nodeId: string, metric: string, windowStart: number, revision: number, seed: number): AggInput {
  const count = 10 + (seed % 7);
  const sum = count * 1.5 + seed / 8;
  const withUtilisation = seed % 5 !== 0;
  return {
    key: { node_id: nodeId, metric, window_start: windowStart },
    value: {
      node_id: nodeId,
      metric,
      unit: metric === 'cpu_usage' ? 'cores' : 'bytes',
      window_start: windowStart,
      window_end: windowStart + WINDOW_MS,
      revision,
      count,
      sum,
      min: 0.25,
      max: 3.75 + (seed % 3),
      mean: sum / count,
      utilisation_count: withUtilisation ? count : 0,
      utilisation_sum: withUtilisation ? sum / 8 : null,
      utilisation_min: withUtilisation ? 0.03125 : null,
      utilisation_max: withUtilisation ? 0.5 : null,
      utilisation_mean: withUtilisation ? sum / 8 / count : null,
      missing_fields: seed % 3 === 0 ? { capacity: seed % 4 } : {},
      total_count: count * (revision + 1),
      total_missing_fields: { capacity: seed % 4, metadata: 0 },
    },
  };
}

/** One record of the metadata topic: an update, or a tombstone (null) for the node in `key`. */
export interface MetadataInput {
  readonly key: string;
  readonly value: NodeMetadata | null;
}

/**
 * Per node a history with every case of the SCD2 rules: a first version, an unchanged repeat (ingest re-sends
 * after a restart), a change, a stale record (older than the latest), and for every third node a removal (tombstone).
 */
export function metadataInput(nodes: number): MetadataInput[] {
  const out: MetadataInput[] = [];
  for (let node = 0; node < nodes; node++) {
    const id = `ip-10-0-${node}.eu-west-1.compute.internal`;
    const at = (minutes: number) => T0 - 7_200_000 + node * 1_000 + minutes * 60_000;
    const version = (minutes: number, zone: string, labels: Record<string, string>): MetadataInput => ({
      key: id,
      value: { node_id: id, instance_type: node % 3 === 0 ? 'm5.xlarge' : 'c5.2xlarge', zone, labels, updated_at: at(minutes) },
    });
    const labels = { 'kubernetes.io/os': 'linux', pool: node % 2 === 0 ? 'general' : 'compute' };
    out.push(version(0, 'eu-west-1a', labels));
    out.push(version(5, 'eu-west-1a', labels));
    out.push(version(10, 'eu-west-1b', { ...labels, tainted: 'true' }));
    out.push(version(7, 'eu-west-1c', labels));
    if (node % 3 === 0) out.push({ key: id, value: null });
  }
  return out;
}
