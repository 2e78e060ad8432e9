import { createMetricsRegistry, createPipelineMetrics } from '@meterline/observability';

/** The series Prometheus stores per scraped metric type: a histogram `h` becomes h_bucket, h_sum and h_count. */
const SERIES_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

export interface KnownMetrics {
  /** Every series name a service's /metrics yields, plus Prometheus's own per-target `up`. */
  readonly names: ReadonlySet<string>;
  /** The histograms among them (without suffix). */
  readonly histograms: ReadonlySet<string>;
}

/**
 * What a service exports, taken from the code itself rather than a list kept by hand: a registry set up as every
 * service's main.ts sets it up (process and Node.js default metrics) plus the shared pipeline metrics.
 */
export async function knownMetrics(): Promise<KnownMetrics> {
  const registry = createMetricsRegistry('deploy-check');
  createPipelineMetrics(registry);
  const metrics = await registry.getMetricsAsJSON();
  const names = new Set<string>(['up']);
  const histograms = new Set<string>();
  for (const metric of metrics) {
    // prom-client's typings declare a numeric enum, but the value at run time is the type's name.
    const type = String(metric.type);
    names.add(metric.name);
    for (const suffix of SERIES_SUFFIXES[type] ?? []) names.add(`${metric.name}${suffix}`);
    if (type === 'histogram') histograms.add(metric.name);
  }
  return { names, histograms };
}
