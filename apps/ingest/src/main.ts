import { hostname } from 'node:os';
import { TransactionalBatcher, withRetry } from '@meterline/kafka';
import { runService, STARTUP_RETRY } from '@meterline/runtime';
import { nodeMetadataTopic, nodeMetricRawTopic } from '@meterline/schemas';
import { ingestEnv } from './config';
import { ingestRoutes } from './http/ingest-routes';
import { createIngestMetrics, type IngestMetrics } from './writer/ingest-metrics';
import { Ingestor } from './writer/ingestor';

// HTTP comes up before Kafka is reached: the routes answer 503 until the ingestor exists.
let ingestor: Ingestor | undefined;
let ingestMetrics: IngestMetrics | undefined;

runService(
  'ingest',
  ingestEnv,
  async (rt) => {
    const topics = { metrics: await rt.openTopic(nodeMetricRawTopic), metadata: await rt.openTopic(nodeMetadataTopic) };
    const batcher = new TransactionalBatcher(rt.kafka, {
      transactionalId: `${rt.config.transactionalIdPrefix}-${hostname()}-${process.pid}`,
      lingerMs: rt.config.lingerMs,
      concurrency: rt.config.httpTransactions,
      logger: rt.logger,
    });
    await withRetry('connecting the transactional producer', () => batcher.connect(), STARTUP_RETRY);
    rt.onShutdown({ name: 'commit queued records and close the producer', run: () => batcher.disconnect() });
    ingestor = new Ingestor(topics, batcher, { pipeline: rt.metrics, ...(ingestMetrics ? { ingest: ingestMetrics } : {}) });
  },
  (config) => ({
    configure: (app, { logger, registry }) => {
      ingestMetrics = createIngestMetrics(registry);
      ingestRoutes(() => ingestor, {
        maxBodyBytes: config.httpMaxBodyBytes,
        maxRecords: config.httpMaxRecords,
        retryAfterSeconds: Math.ceil(config.retryAfterMs / 1000),
        logger,
        metrics: ingestMetrics,
      })(app);
    },
  }),
);
