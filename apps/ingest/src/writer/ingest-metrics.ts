import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * ingest's own series, beside the shared pipeline metrics (records_produced_total, dlq_records_total, ...);
 * `service` comes from the registry's default label.
 */
export interface IngestMetrics {
  readonly received: Counter<'source' | 'kind'>;
  readonly rejected: Counter<'source' | 'kind' | 'reason'>;
  readonly httpDuration: Histogram<'route' | 'status'>;
  readonly staleMarkers: Counter<'source'>;
  readonly scrapeUp: Gauge<'target'>;
  readonly scrapeDuration: Gauge<'target'>;
  readonly scrapeMalformedLines: Counter<'target'>;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'ingest_records_received_total',
      help: 'Records received, by source (replay, http, remote_write, scrape, k8s, generator) and kind (metric, metadata).',
      labelNames: ['source', 'kind'],
      registers,
    }),
    rejected: new Counter({
      name: 'ingest_records_rejected_total',
      help: 'Records rejected by validation and written to the DLQ, by source, kind and reason code.',
      labelNames: ['source', 'kind', 'reason'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Ingest API requests from arrival to answer (including the Kafka commit), by route and status.',
      labelNames: ['route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    staleMarkers: new Counter({
      name: 'ingest_stale_markers_total',
      help: 'Prometheus staleness markers received and, as intended, not turned into values.',
      labelNames: ['source'],
      registers,
    }),
    scrapeUp: new Gauge({
      name: 'ingest_scrape_target_up',
      help: '1 when the last scrape of the target succeeded, else 0.',
      labelNames: ['target'],
      registers,
    }),
    scrapeDuration: new Gauge({
      name: 'ingest_scrape_duration_seconds',
      help: 'How long the last scrape of the target took, delivery to Kafka included.',
      labelNames: ['target'],
      registers,
    }),
    scrapeMalformedLines: new Counter({
      name: 'ingest_scrape_malformed_lines_total',
      help: 'Exposition lines that could not be parsed and were skipped, by target.',
      labelNames: ['target'],
      registers,
    }),
  };
}
