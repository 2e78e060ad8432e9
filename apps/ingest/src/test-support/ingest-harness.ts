import {
  AvroProducer,
  createKafka,
  describeTopic,
  ensureTopics,
  openTopic,
  SchemaRegistryClient,
  TransactionalBatcher,
  type Kafka,
} from '@meterline/kafka';
import {
  createHealth,
  createLogger,
  createMetricsRegistry,
  startHttpServer,
  type HttpServerHandle,
  type Logger,
} from '@meterline/observability';
import { nodeMetadataTopic, nodeMetricRawTopic, topicDeclarations } from '@meterline/schemas';
import { stackEndpoints, uniqueName } from '@meterline/testing';
import type { Express } from 'express';
import { createIngestMetrics, type IngestMetrics } from '../writer/ingest-metrics';
import { Ingestor, type IngestTopics } from '../writer/ingestor';

/** What an integration test of ingest works with: the real stack, topics of its own, and ingest's HTTP app. */
export interface IngestHarness {
  readonly kafka: Kafka;
  readonly topics: IngestTopics;
  readonly batcher: TransactionalBatcher;
  readonly metrics: IngestMetrics;
  readonly logger: Logger;
  /** A plain producer for reading topics back with readRecords. */
  readonly reader: AvroProducer;
  ingestor: Ingestor | undefined;
  server: HttpServerHandle | undefined;
  /** Starts ingest's HTTP server with the routes `mount` adds (they reach the ingestor through `harness.ingestor`). */
  serve(mount: (app: Express, harness: IngestHarness) => void): Promise<HttpServerHandle>;
  close(): Promise<void>;
}

/** Topics under a fresh prefix, so each test file has the catalog to itself. */
export async function ingestHarness(name: string): Promise<IngestHarness> {
  const logger = createLogger({ service: 'ingest', level: 'silent' });
  const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: `${name}-spec`, logger });
  const prefix = `${uniqueName(name)}.`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicDeclarations(prefix));
  await admin.disconnect();
  const registry = new SchemaRegistryClient({ url: schemaRegistryUrl });
  const topics: IngestTopics = {
    metrics: await openTopic(registry, describeTopic(nodeMetricRawTopic, prefix)),
    metadata: await openTopic(registry, describeTopic(nodeMetadataTopic, prefix)),
  };
  const batcher = new TransactionalBatcher(kafka, { transactionalId: uniqueName(`${name}-txn`), concurrency: 2 });
  await batcher.connect();
  const reader = new AvroProducer(kafka);
  await reader.connect();
  const metricsRegistry = createMetricsRegistry('ingest');
  const metrics = createIngestMetrics(metricsRegistry);
  const harness: IngestHarness = {
    kafka,
    topics,
    batcher,
    metrics,
    logger,
    reader,
    ingestor: new Ingestor(topics, batcher, { ingest: metrics }),
    server: undefined,
    async serve(mount) {
      harness.server = await startHttpServer({
        host: '127.0.0.1',
        port: 0,
        registry: metricsRegistry,
        health: createHealth(),
        logger,
        configure: (app) => mount(app, harness),
      });
      return harness.server;
    },
    async close() {
      await harness.server?.close();
      await batcher.disconnect();
      await reader.disconnect();
    },
  };
  return harness;
}
