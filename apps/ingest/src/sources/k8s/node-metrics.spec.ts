import type { Outcome } from '@meterline/stream';
import { validateMetric } from '../../validate';
import { nodeMetricCandidates } from './node-metrics';

// Items as metrics.k8s.io/v1beta1 and v1 list them (list items carry no kind of their own).
const metricsItem = (name: string, cpu: string, memory: string) => ({
  metadata: { name, creationTimestamp: '2024-05-01T12:00:00Z' },
  timestamp: '2024-05-01T12:00:00Z',
  window: '20.035s',
  usage: { cpu, memory },
});

const nodeA = {
  metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } },
  status: {
    capacity: { cpu: '4', memory: '16393012Ki', pods: '110' },
    allocatable: { cpu: '3920m', memory: '15242036Ki', pods: '110' },
  },
};
const nodeB = { metadata: { name: 'node-b' }, status: { capacity: { cpu: '2', memory: '8Gi' } } };

const rejectionCode = (outcome: Outcome<unknown>) => (outcome.kind === 'poison' ? outcome.error.code : outcome.kind);

describe('nodeMetricCandidates', () => {
  it('turns each node sample into cpu_usage in cores and memory_usage in bytes, capped by allocatable', () => {
    const item = metricsItem('node-a', '152837612n', '1383416Ki');
    const original = JSON.stringify(item);
    const common = { node_id: 'node-a', event_time: '2024-05-01T12:00:00Z', labels: { window: '20.035s' } };
    expect(nodeMetricCandidates([item], [nodeA])).toEqual([
      {
        // 152837612 nanocores; allocatable 3920 millicores
        fields: { ...common, metric: 'cpu_usage', value: 0.152837612, capacity: 3.92, unit: 'cores' },
        position: { object: 'NodeMetrics/node-a', usage: 'cpu' },
        original,
      },
      {
        // 1383416 × 1024 bytes; allocatable 15242036 × 1024 bytes
        fields: { ...common, metric: 'memory_usage', value: 1_416_617_984, capacity: 15_607_844_864, unit: 'bytes' },
        position: { object: 'NodeMetrics/node-a', usage: 'memory' },
        original,
      },
    ]);
  });

  it('falls back to the capacity of a node that reports no allocatable', () => {
    const [cpu, memory] = nodeMetricCandidates([metricsItem('node-b', '250m', '512Mi')], [nodeA, nodeB]);
    expect(cpu?.fields).toMatchObject({ value: 0.25, capacity: 2 });
    expect(memory?.fields).toMatchObject({ value: 536_870_912, capacity: 8_589_934_592 });
  });

  it('emits the usage of a node missing from the NodeList without a capacity, which validation accepts', () => {
    const [cpu] = nodeMetricCandidates([metricsItem('node-c', '1', '1Gi')], [nodeA]);
    expect(cpu?.fields.capacity).toBeUndefined();
    expect(validateMetric(cpu?.fields ?? {}, 'k8s')).toEqual({
      kind: 'ok',
      values: [
        {
          node_id: 'node-c',
          metric: 'cpu_usage',
          value: 1,
          capacity: null,
          unit: 'cores',
          event_time: Date.UTC(2024, 4, 1, 12, 0, 0),
          source: 'k8s',
          labels: { window: '20.035s' },
        },
      ],
    });
  });

  it('marks a sample whose usage or capacity is not a quantity with a problem naming the text', () => {
    const badNode = { metadata: { name: 'node-a' }, status: { allocatable: { cpu: '4 cores', memory: '1Gi' } } };
    const [cpu, memory] = nodeMetricCandidates([metricsItem('node-a', '250m', '0x10')], [badNode]);
    expect(cpu?.fields).toMatchObject({ value: 0.25, capacity: '4 cores' });
    expect(cpu?.problem).toEqual({
      code: 'VALIDATION_BAD_QUANTITY',
      message: expect.stringMatching(/^capacity: not a Kubernetes quantity: "4 cores"/),
    });
    expect(memory?.fields).toMatchObject({ value: '0x10', capacity: 1_073_741_824 });
    expect(memory?.problem?.message).toMatch(/^value: not a Kubernetes quantity: "0x10"/);
  });

  it('gives a readable sample no problem', () => {
    const candidates = nodeMetricCandidates([metricsItem('node-a', '1', '1Gi')], [nodeA]);
    expect(candidates.map((c) => c.problem)).toEqual([undefined, undefined]);
  });

  it('leaves a missing usage and a missing timestamp for validation to report', () => {
    const item = { metadata: { name: 'node-a' }, usage: { cpu: '1' } };
    const [cpu, memory] = nodeMetricCandidates([item], [nodeA]);
    expect(rejectionCode(validateMetric(cpu?.fields ?? {}, 'k8s'))).toBe('VALIDATION_MISSING_FIELD');
    expect(memory?.fields.value).toBeUndefined();
    expect(cpu?.fields.labels).toEqual({});
  });
});
