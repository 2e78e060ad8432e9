import type { Candidate, MetricFields } from '../../candidate';
import { at, quantityCandidate, textAt } from './api-fields';

// Allocatable is what pods can actually use (capacity minus system and kubelet reservations), so utilisation against
// it reaches 100% when the node is full. Capacity stands in only for a Node that reports no allocatable.
const capacityOf = (node: unknown, resource: 'cpu' | 'memory'): unknown =>
  at(node, 'status', 'allocatable', resource) ?? at(node, 'status', 'capacity', resource);

/**
 * Turns metrics.k8s.io NodeMetrics items into `cpu_usage` (cores) and `memory_usage` (bytes) candidates, with the
 * capacity taken from the Node of the same name in `nodes` (a NodeList's items). A node missing from `nodes` still
 * yields its usage, without capacity; the event time is the sample's own `timestamp`.
 */
export function nodeMetricCandidates(metrics: readonly unknown[], nodes: readonly unknown[]): Candidate<MetricFields>[] {
  const byName = new Map<string, unknown>();
  for (const node of nodes) {
    const name = textAt(node, 'metadata', 'name');
    if (name !== undefined) byName.set(name, node);
  }
  return metrics.flatMap((item) => {
    const name = textAt(item, 'metadata', 'name');
    const node = name === undefined ? undefined : byName.get(name);
    const window = textAt(item, 'window');
    const common = {
      node_id: name,
      event_time: at(item, 'timestamp'),
      // metrics-server's usage is an average over `window` (a Go duration such as "20.035s"), so it travels along.
      labels: window === undefined ? {} : { window },
    };
    const original = JSON.stringify(item);
    const object = `NodeMetrics/${name ?? ''}`;
    return [
      quantityCandidate(
        { ...common, metric: 'cpu_usage', unit: 'cores' },
        { value: at(item, 'usage', 'cpu'), capacity: capacityOf(node, 'cpu') },
        { object, usage: 'cpu' },
        original,
      ),
      quantityCandidate(
        { ...common, metric: 'memory_usage', unit: 'bytes' },
        { value: at(item, 'usage', 'memory'), capacity: capacityOf(node, 'memory') },
        { object, usage: 'memory' },
        original,
      ),
    ];
  });
}
