import type { NodeMetadata, NodeMetricRaw } from '../generated';

/** A CPU sample as ingest receives it from a Prometheus remote_write batch. */
export const cpuSample = (overrides: Partial<NodeMetricRaw> = {}): NodeMetricRaw => ({
  node_id: 'ip-10-0-12-34.eu-west-1.compute.internal',
  metric: 'cpu_usage',
  value: 3.25,
  capacity: 4,
  unit: 'cores',
  event_time: Date.UTC(2024, 2, 14, 9, 30, 0),
  source: 'remote_write',
  labels: { cluster: 'prod-eu', job: 'node-exporter' },
  ...overrides,
});

/** Metadata of the node `cpuSample` comes from, as the Kubernetes API reports it. */
export const nodeMetadata = (overrides: Partial<NodeMetadata> = {}): NodeMetadata => ({
  node_id: 'ip-10-0-12-34.eu-west-1.compute.internal',
  instance_type: 'm5.xlarge',
  zone: 'eu-west-1a',
  labels: { 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm5.xlarge' },
  updated_at: Date.UTC(2024, 2, 14, 9, 0, 0),
  ...overrides,
});
