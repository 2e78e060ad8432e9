import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Registry as MetricsRegistry } from 'prom-client';

/**
 * The one registry of a process, created by `main.ts` and passed to whatever records metrics. It is a new Registry
 * rather than prom-client's global one, so two services (or two tests) in one Node process never share or collide on
 * series. Every series carries `service`, the label dashboards group by; process metrics (CPU, memory, event-loop lag,
 * GC) are collected into it too.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
