import type { ConfigOf } from '@meterline/config';
import type { baseEnv } from '@meterline/config';
import {
  AvroProducer,
  classifyKafkaError,
  createKafka,
  describeTopic,
  ensureTopics,
  kafkaReachable,
  openTopic,
  registryReachable,
  SchemaRegistryClient,
  withRetry,
  type Admin,
  type Kafka,
  type RecordValue,
  type RetryPolicy,
  type TopicHandle,
} from '@meterline/kafka';
import {
  createHealth,
  createLogger,
  createMetricsRegistry,
  createPipelineMetrics,
  installShutdown,
  startHttpServer,
  type Health,
  type HttpServerHandle,
  type Logger,
  type MetricsRegistry,
  type PipelineMetrics,
  type Shutdown,
  type ShutdownProcess,
  type ShutdownStep,
} from '@meterline/observability';
import { topicDeclarations, type CleanupPolicy, type TopicSpec } from '@meterline/schemas';
import type { Express } from 'express';

export type BaseConfig = ConfigOf<ReturnType<typeof baseEnv>>;

/**
 * Start-up waits for Kafka and the registry for a few minutes (compose starts everything at once; a broker restart
 * takes a while) with /healthz alive and /readyz not ready, then gives up loudly.
 */
export const STARTUP_RETRY: RetryPolicy = { attempts: 30, initialDelayMs: 250, maxDelayMs: 10_000 };

export interface Runtime<C extends BaseConfig = BaseConfig> {
  readonly service: string;
  readonly config: C;
  readonly logger: Logger;
  readonly registry: MetricsRegistry;
  readonly metrics: PipelineMetrics;
  readonly health: Health;
  readonly http: HttpServerHandle;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly schemaRegistry: SchemaRegistryClient;
  readonly shutdown: Shutdown;
  /** Registers the topic's schemas (waiting for the registry if needed) and returns its typed handle. */
  openTopic<K, V, P extends CleanupPolicy>(spec: TopicSpec<K, V, P>): Promise<TopicHandle<K, RecordValue<V, P>>>;
  /** A connected producer, disconnected at shutdown after the service's own steps. */
  producer(): Promise<AvroProducer>;
  /** Adds a service step to the shutdown, after "mark not ready" and before Kafka and HTTP are closed. */
  onShutdown(step: ShutdownStep): void;
}

/** What a service's HTTP routes may use; they are mounted before Kafka is connected. */
export interface HttpContext {
  readonly logger: Logger;
  readonly registry: MetricsRegistry;
  readonly metrics: PipelineMetrics;
}

export interface RuntimeOptions {
  /** Mounts the service's own HTTP routes (ingest's API, feature-builder's online features). */
  readonly configure?: (app: Express, context: HttpContext) => void;
  /** Where signals come from and exit goes to; tests pass their own so a shutdown does not end the test run. */
  readonly proc?: ShutdownProcess;
}

/**
 * Brings up what every service shares, in the order that keeps it observable: metrics and health first, then the
 * HTTP server (so /healthz answers while Kafka is still being reached), then Kafka: connect, and create the catalog's
 * topics (idempotent). Shutdown runs: mark not ready → the service's steps → producer → admin → HTTP.
 */
export async function startRuntime<C extends BaseConfig>(service: string, config: C, options: RuntimeOptions = {}): Promise<Runtime<C>> {
  const logger = createLogger({ service, level: config.logLevel });
  const registry = createMetricsRegistry(service);
  const metrics = createPipelineMetrics(registry);
  const health = createHealth();
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: service, logger });
  const admin = kafka.admin();
  const schemaRegistry = new SchemaRegistryClient({ url: config.schemaRegistryUrl, clientId: service });
  let started = false;
  health.addReadinessCheck('startup', () => ({ ok: started, detail: started ? 'connected' : 'connecting' }));
  health.addReadinessCheck('kafka', kafkaReachable(admin));
  health.addReadinessCheck('schema-registry', registryReachable(config.schemaRegistryUrl));

  const http = await startHttpServer({
    host: config.httpHost,
    port: config.httpPort,
    registry,
    health,
    logger,
    ...(options.configure ? { configure: (app: Express) => options.configure?.(app, { logger, registry, metrics }) } : {}),
  });

  const stopping = new AbortController();
  let producer: Promise<AvroProducer> | undefined;
  const serviceSteps: ShutdownStep[] = [];
  const steps: ShutdownStep[] = [
    {
      name: 'mark not ready',
      run: () => {
        stopping.abort();
        health.setShuttingDown();
      },
    },
    // installShutdown reads the list when the shutdown starts, so steps a service adds later are included.
    {
      name: 'service steps',
      run: async () => {
        for (const s of serviceSteps) {
          logger.info({ step: s.name }, 'shutdown step');
          await s.run();
        }
      },
    },
    { name: 'disconnect producer', run: async () => void (await (await producer)?.disconnect()) },
    { name: 'disconnect admin', run: () => admin.disconnect() },
    { name: 'close http server', run: () => http.close() },
  ];
  const shutdown = installShutdown({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    steps,
    ...(options.proc ? { proc: options.proc } : {}),
  });
  process.on('unhandledRejection', (err) => void shutdown.fail(err, 'unhandled promise rejection'));

  const retry = <T>(what: string, fn: () => Promise<T>) =>
    withRetry(what, fn, STARTUP_RETRY, {
      signal: stopping.signal,
      onRetry: (err, attempt, delayMs) => logger.warn({ code: err.code, attempt, delayMs }, `${what}: ${err.message}`),
    });

  try {
    await retry('connecting to Kafka', async () => {
      await admin.connect().catch((err: unknown) => Promise.reject(classifyKafkaError(err, 'connecting to Kafka')));
      const { created } = await ensureTopics(admin, topicDeclarations(config.topicPrefix), { logger });
      if (created.length > 0) logger.info({ topics: created }, 'created topics');
    });
  } catch (err) {
    // A signal during start-up aborts the wait: let the orderly shutdown it started decide the exit code.
    if (stopping.signal.aborted) await shutdown.trigger('stopped during start-up');
    throw err;
  }
  started = true;
  logger.info({ http: http.url, brokers: config.kafkaBrokers, registry: config.schemaRegistryUrl }, 'started');

  return {
    service,
    config,
    logger,
    registry,
    metrics,
    health,
    http,
    kafka,
    admin,
    schemaRegistry,
    shutdown,
    openTopic: (spec) =>
      retry(`registering schemas of ${spec.name}`, () => openTopic(schemaRegistry, describeTopic(spec, config.topicPrefix))),
    producer: () =>
      (producer ??= retry('connecting the producer', async () => {
        const p = new AvroProducer(kafka);
        await p.connect();
        return p;
      })),
    onShutdown: (step) => void serviceSteps.push(step),
  };
}
