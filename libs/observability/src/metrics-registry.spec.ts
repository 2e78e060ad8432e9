import { register as globalRegistry } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';
import { createPipelineMetrics } from './pipeline-metrics';

describe('createMetricsRegistry', () => {
  it('labels every series with the service, process metrics included', async () => {
    const registry = createMetricsRegistry('enrichment');
    const text = await registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="enrichment"\} /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="enrichment"\} /m);
  });

  it('gives every call its own registry, so tests and services never share series', async () => {
    const a = createMetricsRegistry('ingest');
    const b = createMetricsRegistry('ingest');
    createPipelineMetrics(a).recordsProduced.inc({ topic: 'metrics.node.raw.v1' });
    expect(a).not.toBe(b);
    expect(await a.metrics()).toContain('records_produced_total{topic="metrics.node.raw.v1",service="ingest"} 1');
    expect(await b.metrics()).not.toContain('records_produced_total{');
  });

  it('leaves the global prom-client registry empty', async () => {
    createPipelineMetrics(createMetricsRegistry('feature-builder')).batchSize.observe(10);
    expect(globalRegistry.getMetricsAsArray()).toHaveLength(0);
    expect((await globalRegistry.metrics()).trim()).toBe('');
  });
});
