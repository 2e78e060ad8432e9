import type { Candidate, MetricFields } from '../../candidate';
import { at, objectsAt, quantityCandidate, textAt } from './api-fields';

const podKey = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

/**
 * Turns metrics.k8s.io PodMetrics items into per-container `container_cpu_usage` (cores) and `container_memory_usage`
 * (bytes) candidates. The metrics API does not say where a pod runs, so the node id is the `spec.nodeName` of the
 * same pod in `pods` (a PodList's items); the capacity is the container's limit when it has one, the ceiling that
 * utilisation of a container is measured against.
 *
 * A pod missing from `pods` (created or deleted between the two requests) or not yet scheduled still yields its
 * candidates, without a node id: the source does not judge records, so validation rejects them as
 * VALIDATION_MISSING_FIELD into the DLQ, where they are counted instead of vanishing.
 */
export function podMetricCandidates(metrics: readonly unknown[], pods: readonly unknown[]): Candidate<MetricFields>[] {
  const byKey = new Map<string, unknown>();
  for (const pod of pods) byKey.set(podKey(textAt(pod, 'metadata', 'namespace'), textAt(pod, 'metadata', 'name')), pod);

  return metrics.flatMap((item) => {
    const namespace = textAt(item, 'metadata', 'namespace');
    const podName = textAt(item, 'metadata', 'name');
    const pod = byKey.get(podKey(namespace, podName));
    const specs = objectsAt(pod, 'spec', 'containers');
    const window = textAt(item, 'window');
    const original = JSON.stringify(item);
    const object = `PodMetrics/${podKey(namespace, podName)}`;

    return objectsAt(item, 'containers').flatMap((container) => {
      const name = textAt(container, 'name');
      const spec = specs.find((s) => textAt(s, 'name') === name);
      const labels: Record<string, string> = {};
      if (namespace !== undefined) labels['namespace'] = namespace;
      if (podName !== undefined) labels['pod'] = podName;
      if (name !== undefined) labels['container'] = name;
      if (window !== undefined) labels['window'] = window;
      const common = { node_id: textAt(pod, 'spec', 'nodeName'), event_time: at(item, 'timestamp'), labels };
      const position = { object, container: name ?? '' };
      return [
        quantityCandidate(
          { ...common, metric: 'container_cpu_usage', unit: 'cores' },
          { value: at(container, 'usage', 'cpu'), capacity: at(spec, 'resources', 'limits', 'cpu') },
          { ...position, usage: 'cpu' },
          original,
        ),
        quantityCandidate(
          { ...common, metric: 'container_memory_usage', unit: 'bytes' },
          { value: at(container, 'usage', 'memory'), capacity: at(spec, 'resources', 'limits', 'memory') },
          { ...position, usage: 'memory' },
          original,
        ),
      ];
    });
  });
}
