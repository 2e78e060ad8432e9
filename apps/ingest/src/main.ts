import { hostname } from 'node:os';
import { ConfigError } from '@meterline/config';
import { TransactionalBatcher, withRetry } from '@meterline/kafka';
import { runService, STARTUP_RETRY } from '@meterline/runtime';
import { nodeMetadataTopic, nodeMetricRawTopic } from '@meterline/schemas';
import { ingestEnv } from './config';
import { ingestRoutes } from './http/ingest-routes';
import { remoteWriteRoute } from './http/remote-write-route';
import { startK8sJob } from './k8s-job';
import { startReplayJob } from './replay-job';
import { startScrapeJob } from './scrape-job';
import { k8sSourceOptions } from './sources/k8s';
import { createIngestMetrics, type IngestMetrics } from './writer/ingest-metrics';
import { Ingestor } from './writer/ingestor';

// HTTP comes up before Kafka is reached: the routes answer 503 until the ingestor exists.
let ingestor: Ingestor | undefined;
let ingestMetrics: IngestMetrics | undefined;

runService(
  'ingest',
  ingestEnv,
  async (rt) => {
    const { config } = rt;
    const topics = { metrics: await rt.openTopic(nodeMetricRawTopic), metadata: await rt.openTopic(nodeMetadataTopic) };
    const batcher = new TransactionalBatcher(rt.kafka, {
      transactionalId: `${config.transactionalIdPrefix}-${hostname()}-${process.pid}`,
      lingerMs: config.lingerMs,
      concurrency: config.httpTransactions,
      logger: rt.logger,
    });
    await withRetry('connecting the transactional producer', () => batcher.connect(), STARTUP_RETRY);
    const metrics = (ingestMetrics ??= createIngestMetrics(rt.registry));
    ingestor = new Ingestor(topics, batcher, { pipeline: rt.metrics, ingest: metrics });

    if (config.scrapeTargets.length > 0) {
      const scraper = startScrapeJob(ingestor, {
        targets: config.scrapeTargets,
        intervalMs: config.scrapeIntervalMs,
        timeoutMs: config.scrapeTimeoutMs,
        mapping: { nodeLabels: config.nodeLabels, stripInstancePort: config.stripInstancePort },
      }, metrics, rt.logger);
      rt.onShutdown({ name: 'stop scraping (a scrape being delivered finishes)', run: () => scraper.stop() });
    }
    const k8s = k8sSourceOptions(config);
    if (k8s) {
      const poller = startK8sJob(ingestor, k8s, rt.logger, rt.shutdown);
      rt.onShutdown({ name: 'stop polling Kubernetes', run: () => poller.stop() });
    }
    if (config.replayInputs.length > 0) {
      if (!config.replayMapping) throw new ConfigError(['INGEST_REPLAY_MAPPING is required when INGEST_REPLAY_INPUTS is set']);
      // A batcher of its own with one transaction at a time: a replayed file keeps its order on every partition.
      const replayBatcher = new TransactionalBatcher(rt.kafka, {
        transactionalId: `${config.transactionalIdPrefix}-replay-${hostname()}-${process.pid}`,
        logger: rt.logger,
      });
      await withRetry('connecting the replay producer', () => replayBatcher.connect(), STARTUP_RETRY);
      const job = startReplayJob(
        new Ingestor(topics, replayBatcher, { pipeline: rt.metrics, ingest: metrics }),
        {
          inputs: config.replayInputs,
          mapping: config.replayMapping,
          flags: {},
          pace: config.replayRate
            ? { kind: 'rate', perSecond: config.replayRate }
            : config.replaySpeed
              ? { kind: 'speed', factor: config.replaySpeed }
              : { kind: 'max' },
          loop: config.replayLoop,
        },
        rt.logger,
      );
      rt.onShutdown({ name: 'stop the replay job', run: () => job.stop() });
      rt.onShutdown({ name: 'close the replay producer', run: () => replayBatcher.disconnect() });
    }
    // Last: the sources above have stopped handing in records by then.
    rt.onShutdown({ name: 'commit queued records and close the producer', run: () => batcher.disconnect() });
  },
  (config) => ({
    configure: (app, { logger, registry }) => {
      const metrics = (ingestMetrics ??= createIngestMetrics(registry));
      const common = { retryAfterSeconds: Math.ceil(config.retryAfterMs / 1000), logger, metrics };
      ingestRoutes(() => ingestor, { ...common, maxBodyBytes: config.httpMaxBodyBytes, maxRecords: config.httpMaxRecords })(app);
      remoteWriteRoute(() => ingestor, {
        ...common,
        maxBodyBytes: config.remoteWriteMaxBodyBytes,
        mapping: { nodeLabels: config.nodeLabels, stripInstancePort: config.stripInstancePort },
      })(app);
    },
  }),
);
