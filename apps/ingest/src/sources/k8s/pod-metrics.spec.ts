import type { Outcome } from '@meterline/stream';
import { validateMetric } from '../../validate';
import { podMetricCandidates } from './pod-metrics';

const web = {
  metadata: { name: 'web-1', namespace: 'shop', creationTimestamp: '2024-05-01T12:00:05Z' },
  timestamp: '2024-05-01T12:00:05Z',
  window: '18.512s',
  containers: [
    { name: 'app', usage: { cpu: '2451947n', memory: '24180Ki' } },
    { name: 'sidecar', usage: { cpu: '100u', memory: '12Mi' } },
  ],
};
const webPod = {
  metadata: { name: 'web-1', namespace: 'shop' },
  spec: {
    nodeName: 'node-a',
    containers: [
      { name: 'app', resources: { limits: { cpu: '500m', memory: '256Mi' } } },
      { name: 'sidecar', resources: {} },
    ],
  },
};

const rejection = (outcome: Outcome<unknown>) =>
  outcome.kind === 'poison' ? { code: outcome.error.code, field: outcome.error.details['field'] } : outcome.kind;

describe('podMetricCandidates', () => {
  it("emits per-container usage on the pod's node, with the container's limit as its capacity", () => {
    const original = JSON.stringify(web);
    const common = { node_id: 'node-a', event_time: '2024-05-01T12:00:05Z' };
    const labels = (container: string) => ({ namespace: 'shop', pod: 'web-1', container, window: '18.512s' });
    const position = (container: string, usage: string) => ({ object: 'PodMetrics/shop/web-1', container, usage });
    expect(podMetricCandidates([web], [webPod])).toEqual([
      {
        // 2451947 nanocores against a 500 millicore limit
        fields: {
          ...common,
          labels: labels('app'),
          metric: 'container_cpu_usage',
          value: 0.002451947,
          capacity: 0.5,
          unit: 'cores',
        },
        position: position('app', 'cpu'),
        original,
      },
      {
        // 24180 × 1024 bytes against a 256 × 1024² limit
        fields: {
          ...common,
          labels: labels('app'),
          metric: 'container_memory_usage',
          value: 24_760_320,
          capacity: 268_435_456,
          unit: 'bytes',
        },
        position: position('app', 'memory'),
        original,
      },
      {
        // 100 microcores, no limit
        fields: {
          ...common,
          labels: labels('sidecar'),
          metric: 'container_cpu_usage',
          value: 0.0001,
          capacity: undefined,
          unit: 'cores',
        },
        position: position('sidecar', 'cpu'),
        original,
      },
      {
        fields: {
          ...common,
          labels: labels('sidecar'),
          metric: 'container_memory_usage',
          value: 12_582_912,
          capacity: undefined,
          unit: 'bytes',
        },
        position: position('sidecar', 'memory'),
        original,
      },
    ]);
  });

  it('matches pods by namespace as well as name', () => {
    const samePodElsewhere = { ...webPod, metadata: { name: 'web-1', namespace: 'staging' }, spec: { nodeName: 'node-z' } };
    const [first] = podMetricCandidates([web], [samePodElsewhere, webPod]);
    expect(first?.fields.node_id).toBe('node-a');
  });

  it('still emits a pod missing from the PodList, which validation then rejects for its missing node id', () => {
    const candidates = podMetricCandidates([web], []);
    expect(candidates).toHaveLength(4);
    expect(candidates[0]?.fields.node_id).toBeUndefined();
    expect(rejection(validateMetric(candidates[0]?.fields ?? {}, 'k8s'))).toEqual({
      code: 'VALIDATION_MISSING_FIELD',
      field: 'node_id',
    });
  });

  it('gives a pod that reports no containers no candidates', () => {
    expect(podMetricCandidates([{ ...web, containers: [] }], [webPod])).toEqual([]);
  });
});
