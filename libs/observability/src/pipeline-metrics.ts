import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What happened to a consumed record: processed, deliberately skipped, or dead-lettered. */
export type ConsumeOutcome = 'ok' | 'skipped' | 'poison';

/**
 * The series every service shares, under the same names (style.md, habit 12), so one dashboard and one set of alerts
 * fits all four services; `service` comes from the registry's default label.
 */
export interface PipelineMetrics {
  /** Labels: topic, outcome (a {@link ConsumeOutcome}). */
  readonly recordsConsumed: Counter<'topic' | 'outcome'>;
  readonly recordsProduced: Counter<'topic'>;
  readonly recordProcessingSeconds: Histogram<'step'>;
  /** Set per assigned partition; remove the series when the partition is revoked, or it stays at its last value. */
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  /** Labels: topic (the source topic), code (the error's stable code). */
  readonly dlqRecords: Counter<'topic' | 'code'>;
  readonly batchRetries: Counter<'topic'>;
  readonly batchSize: Histogram;
}

/** 10 µs (a cheap pure step) up to 1 s (a step waiting on I/O), on a 1-2.5-5 grid. */
export const PROCESSING_SECONDS_BUCKETS: readonly number[] = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
];

/** From a single record to ten thousand: one fetch of small Avro records can hold that many. */
export const BATCH_SIZE_BUCKETS: readonly number[] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export const PIPELINE_METRIC_NAMES = [
  'records_consumed_total',
  'records_produced_total',
  'record_processing_seconds',
  'consumer_lag_records',
  'dlq_records_total',
  'batch_retries_total',
  'batch_size_records',
] as const;

const created = new WeakMap<Registry, PipelineMetrics>();

/**
 * Creates the shared metrics on `registry`, or returns the ones already created there: the consumer runner, the
 * producer and `main.ts` may each ask for them, and they must all count into the same series. A same-named metric
 * registered by other code is a naming clash, reported as such instead of prom-client's bare "already registered".
 */
export function createPipelineMetrics(registry: Registry): PipelineMetrics {
  const existing = created.get(registry);
  if (existing) return existing;

  const clashes = PIPELINE_METRIC_NAMES.filter((name) => registry.getSingleMetric(name) !== undefined);
  if (clashes.length > 0) {
    throw new Error(
      `createPipelineMetrics: ${clashes.join(', ')} already registered on this registry by other code; ` +
        'these names are reserved for the shared pipeline metrics',
    );
  }

  const registers = [registry];
  const metrics: PipelineMetrics = {
    recordsConsumed: new Counter({
      name: 'records_consumed_total',
      help: 'Records consumed, by source topic and outcome (ok, skipped, poison).',
      labelNames: ['topic', 'outcome'],
      registers,
    }),
    recordsProduced: new Counter({
      name: 'records_produced_total',
      help: 'Records produced, by destination topic (dead-letter records excluded).',
      labelNames: ['topic'],
      registers,
    }),
    recordProcessingSeconds: new Histogram({
      name: 'record_processing_seconds',
      help: 'Seconds a pipeline step spends on one record (its batch time divided by the records it saw), by step.',
      labelNames: ['step'],
      buckets: [...PROCESSING_SECONDS_BUCKETS],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'consumer_lag_records',
      help: 'Records between the committed offset and the high watermark, by topic and partition.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    dlqRecords: new Counter({
      name: 'dlq_records_total',
      help: 'Records sent to a dead-letter topic, by source topic and error code.',
      labelNames: ['topic', 'code'],
      registers,
    }),
    batchRetries: new Counter({
      name: 'batch_retries_total',
      help: 'Batches retried after a transient error, by source topic.',
      labelNames: ['topic'],
      registers,
    }),
    batchSize: new Histogram({
      name: 'batch_size_records',
      help: 'Records per consumed batch.',
      buckets: [...BATCH_SIZE_BUCKETS],
      registers,
    }),
  };
  created.set(registry, metrics);
  return metrics;
}
