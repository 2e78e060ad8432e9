import type { NodeId, NodeMetricRaw } from '@meterline/schemas';

/**
 * The label that numbers bench records. The paced phase matches a record on the target topic with its source copy by
 * it; it is part of the record's size like any Prometheus label would be.
 */
export const SEQ_LABEL = 'bench_seq';

export const NODES = 48;
const METRICS = [
  { metric: 'cpu_usage', unit: 'cores', capacity: 4 },
  { metric: 'memory_usage', unit: 'bytes', capacity: 16 * 2 ** 30 },
  { metric: 'cpu_usage_percent', unit: 'percent', capacity: 100 },
] as const;

/** 2024-03-14T09:30:00Z: event times are historical, as in a replay; the broker stamps append time anyway. */
const EPOCH = Date.UTC(2024, 2, 14, 9, 30, 0);

/**
 * A sample as a Prometheus remote_write batch brings it: an EKS node name, node-exporter labels and the sequence label.
 * With these lengths the framed Avro value is about 200 bytes (the run prints the exact mean), the record size
 * ProducerPerformance is given.
 */
export function sampleRecord(seq: number): { key: NodeId; value: NodeMetricRaw } {
  const node = seq % NODES;
  const ip = `10.0.${16 + (node >> 4)}.${100 + (node & 15)}`;
  const nodeId = `ip-${ip.replace(/\./g, '-')}.eu-west-1.compute.internal`;
  // The metric from the block of NODES the record is in, not from seq itself: 48 is a multiple of 3, so `seq % 3` would
  // tie each node to one metric and give it three samples with one event time — repeats that enrichment drops.
  const m = METRICS[Math.floor(seq / NODES) % METRICS.length] ?? METRICS[0];
  return {
    key: nodeId,
    value: {
      node_id: nodeId,
      metric: m.metric,
      value: (m.capacity * ((seq * 7919) % 1000)) / 1000,
      capacity: m.capacity,
      unit: m.unit,
      // One sample per node and metric every 15 s, the usual scrape interval.
      event_time: EPOCH + Math.floor(seq / (NODES * METRICS.length)) * 15_000,
      source: 'remote_write',
      labels: {
        cluster: 'prod-eu-west-1',
        job: 'node-exporter',
        instance: `${ip}:9100`,
        zone: `eu-west-1${'abc'[node % 3] ?? 'a'}`,
        [SEQ_LABEL]: String(seq),
      },
    },
  };
}

/** The sequence number of a bench record, or undefined for a record the bench did not write. */
export function seqOf(value: Pick<NodeMetricRaw, 'labels'>): number | undefined {
  const raw = value.labels[SEQ_LABEL];
  return raw === undefined ? undefined : Number(raw);
}
