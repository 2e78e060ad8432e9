import { Counter, Registry } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';
import { createPipelineMetrics, PIPELINE_METRIC_NAMES } from './pipeline-metrics';

describe('createPipelineMetrics', () => {
  it('registers the shared names with their types and label names', async () => {
    const registry = new Registry();
    createPipelineMetrics(registry);
    const described = (await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]);
    expect(described).toEqual([
      ['records_consumed_total', 'counter'],
      ['records_produced_total', 'counter'],
      ['record_processing_seconds', 'histogram'],
      ['consumer_lag_records', 'gauge'],
      ['dlq_records_total', 'counter'],
      ['batch_retries_total', 'counter'],
      ['batch_size_records', 'histogram'],
    ]);
    expect(described.map(([name]) => name)).toEqual([...PIPELINE_METRIC_NAMES]);
  });

  it('counts by topic and outcome under the service label', async () => {
    const registry = createMetricsRegistry('enrichment');
    const metrics = createPipelineMetrics(registry);
    metrics.recordsConsumed.inc({ topic: 'metrics.node.raw.v1', outcome: 'ok' }, 3);
    metrics.recordsConsumed.inc({ topic: 'metrics.node.raw.v1', outcome: 'poison' });
    metrics.dlqRecords.inc({ topic: 'metrics.node.raw.v1', code: 'AVRO_DECODE' });
    metrics.consumerLag.set({ topic: 'metrics.node.raw.v1', partition: 2 }, 42);

    const text = await registry.metrics();
    expect(text).toContain('records_consumed_total{topic="metrics.node.raw.v1",outcome="ok",service="enrichment"} 3');
    expect(text).toContain('records_consumed_total{topic="metrics.node.raw.v1",outcome="poison",service="enrichment"} 1');
    expect(text).toContain('dlq_records_total{topic="metrics.node.raw.v1",code="AVRO_DECODE",service="enrichment"} 1');
    expect(text).toContain('consumer_lag_records{topic="metrics.node.raw.v1",partition="2",service="enrichment"} 42');
  });

  it('buckets processing time from 10 µs to 1 s', async () => {
    const registry = new Registry();
    createPipelineMetrics(registry).recordProcessingSeconds.observe({ step: 'join' }, 0.00002);
    const text = await registry.metrics();
    expect(text).toContain('record_processing_seconds_bucket{le="0.00001",step="join"} 0');
    expect(text).toContain('record_processing_seconds_bucket{le="0.000025",step="join"} 1');
    expect(text).toContain('record_processing_seconds_bucket{le="1",step="join"} 1');
    expect(text).toContain('record_processing_seconds_bucket{le="+Inf",step="join"} 1');
  });

  it('returns the same metrics when asked twice for one registry, so every caller counts into the same series', () => {
    const registry = new Registry();
    const first = createPipelineMetrics(registry);
    expect(createPipelineMetrics(registry)).toBe(first);
    expect(createPipelineMetrics(new Registry())).not.toBe(first);
  });

  it('names the clashing metric when other code registered one of the shared names', () => {
    const registry = new Registry();
    new Counter({ name: 'dlq_records_total', help: 'home-made', registers: [registry] });
    expect(() => createPipelineMetrics(registry)).toThrow(
      /dlq_records_total already registered on this registry by other code/,
    );
  });
});
