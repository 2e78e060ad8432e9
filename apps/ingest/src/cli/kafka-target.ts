import { hostname } from 'node:os';
import {
  createKafka,
  describeTopic,
  ensureTopics,
  openTopic,
  SchemaRegistryClient,
  TransactionalBatcher,
  withRetry,
} from '@meterline/kafka';
import type { Logger } from '@meterline/observability';
import { STARTUP_RETRY } from '@meterline/runtime';
import { nodeMetadataTopic, nodeMetricRawTopic, topicDeclarations } from '@meterline/schemas';
import { Ingestor } from '../writer/ingestor';

export interface KafkaTarget {
  readonly ingestor: Ingestor;
  close(): Promise<void>;
}

/**
 * What a CLI run writes through: the same Ingestor the service uses (validation, DLQ, transactions), with one
 * transaction at a time so a replayed file keeps its order on every partition.
 */
export async function connectKafkaTarget(
  config: { kafkaBrokers: readonly string[]; schemaRegistryUrl: string; topicPrefix: string },
  logger: Logger,
): Promise<KafkaTarget> {
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'ingest-cli', logger });
  const admin = kafka.admin();
  const registry = new SchemaRegistryClient({ url: config.schemaRegistryUrl, clientId: 'ingest-cli' });
  const batcher = new TransactionalBatcher(kafka, {
    transactionalId: `ingest-cli-${hostname()}-${process.pid}`,
    concurrency: 1,
    logger,
  });
  const topics = await withRetry(
    'connecting to Kafka and the registry',
    async () => {
      await admin.connect();
      await ensureTopics(admin, topicDeclarations(config.topicPrefix), { logger });
      await batcher.connect();
      return {
        metrics: await openTopic(registry, describeTopic(nodeMetricRawTopic, config.topicPrefix)),
        metadata: await openTopic(registry, describeTopic(nodeMetadataTopic, config.topicPrefix)),
      };
    },
    STARTUP_RETRY,
  );
  return {
    ingestor: new Ingestor(topics, batcher),
    async close() {
      await batcher.disconnect();
      await admin.disconnect();
    },
  };
}
