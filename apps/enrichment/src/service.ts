import { partitionLags, readPartitions, TableReader, TransactionalRunner, withRetry } from '@meterline/kafka';
import { STARTUP_RETRY, type Runtime } from '@meterline/runtime';
import {
  enrichmentChangelogTopic,
  nodeMetadataTopic,
  nodeMetricAggTopic,
  nodeMetricEnrichedTopic,
  nodeMetricLateTopic,
  nodeMetricRawTopic,
  type NodeMetadata,
} from '@meterline/schemas';
import type { ConfigOf } from '@meterline/config';
import type { enrichmentEnv } from './config';
import { countStep, createEnrichmentMetrics } from './metrics';
import { processSamples, punctuate, type StepContext } from './process';
import { EnrichmentState } from './state';
import { taskOutput, type EnrichmentTopics } from './task-output';

export type EnrichmentRuntime = Runtime<ConfigOf<typeof enrichmentEnv> & Runtime['config']>;

/**
 * Wires enrichment: the metadata table (a global table, restored before readiness), the shared window state, and a
 * transactional runner whose per-partition tasks run the steps of process.ts and commit outputs, dead letters, state
 * changes and offsets in one transaction.
 */
export async function startEnrichment(rt: EnrichmentRuntime): Promise<void> {
  const { config, logger } = rt;
  const input = await rt.openTopic(nodeMetricRawTopic);
  const metadataTopic = await rt.openTopic(nodeMetadataTopic);
  const topics: EnrichmentTopics = {
    enriched: await rt.openTopic(nodeMetricEnrichedTopic),
    aggregates: await rt.openTopic(nodeMetricAggTopic),
    late: await rt.openTopic(nodeMetricLateTopic),
    changelog: await rt.openTopic(enrichmentChangelogTopic),
  };

  const table = new Map<string, NodeMetadata>();
  const state = new EnrichmentState(config);
  let restoring = false;
  const metrics = createEnrichmentMetrics(rt.registry, { state: () => state, tableSize: () => table.size });

  const reader = new TableReader({
    kafka: rt.kafka,
    admin: rt.admin,
    topic: metadataTopic,
    logger,
    onChange: (node, value) => {
      if (node === null) return;
      if (value === null) table.delete(node);
      else table.set(node, value);
    },
    onPoison: (error, partition, offset) => logger.error({ err: error, partition, offset }, 'skipped an unreadable metadata record'),
  });
  rt.health.addReadinessCheck('metadata-table', () => ({
    ok: reader.isRestored,
    detail: reader.isRestored ? `${table.size} nodes` : 'restoring',
  }));

  const groupId = `${config.topicPrefix}enrichment`;
  const ctx: StepContext = { state, metadata: (node) => table.get(node), policy: config.unknownNodePolicy };
  const runner = new TransactionalRunner({
    kafka: rt.kafka,
    // Prefixed like the topics, so isolated runs on one cluster are separate groups with separate transactional ids.
    groupId,
    input,
    transactionalIdPrefix: `${config.topicPrefix}${config.transactionalIdPrefix}`,
    chunkSize: config.chunkSize,
    punctuateIntervalMs: config.punctuateIntervalMs,
    logger,
    metrics: rt.metrics,
    async prepare(partitions) {
      restoring = true;
      const started = performance.now();
      const entries = await readPartitions({
        kafka: rt.kafka,
        admin: rt.admin,
        topic: topics.changelog,
        partitions,
        apply: (partition, key, value) => state.restore(partition, key.store, key.key, value?.json ?? null),
      });
      state.finishRestore();
      // Caught up: at most a commit marker left to read.
      const lags = await partitionLags(rt.admin, groupId, input.name, partitions);
      state.assign(partitions, Date.now(), new Set(partitions.filter((p) => (lags.get(p) ?? 0) <= 1)));
      const seconds = (performance.now() - started) / 1000;
      metrics.stateRestoreSeconds.set(seconds);
      metrics.stateRestoredEntries.inc(entries);
      logger.info({ partitions, entries, seconds }, 'window state restored');
      restoring = false;
    },
    async openTask(partition) {
      return {
        process(items) {
          const result = processSamples(ctx, partition, items.map((i) => i.value.value), Date.now());
          countStep(metrics, result);
          return taskOutput(topics, result, items);
        },
        punctuate(now) {
          const result = punctuate(ctx, partition, now);
          countStep(metrics, result);
          return taskOutput(topics, result);
        },
      };
    },
    closeTask: (partition) => state.revoke([partition]),
    onFatal: (error) => void rt.shutdown.fail(error, 'enrichment cannot go on'),
  });
  rt.health.addReadinessCheck('window-state', () => ({ ok: !restoring, detail: restoring ? 'restoring' : 'restored' }));
  rt.health.addReadinessCheck('consumer', () => ({
    ok: runner.isHealthy(),
    detail: `partitions [${runner.assignedPartitions.join(', ')}]`,
  }));
  rt.health.addReadinessCheck('lag', () => ({
    ok: runner.maxLag <= config.readyMaxLag,
    detail: `max lag ${runner.maxLag} records (target ≤ ${config.readyMaxLag})`,
  }));
  // Every readiness check is in place before anything is started, so /readyz never reports ready half-wired.
  await reader.start();
  metrics.tableRestoreSeconds.set((reader.restoreMs ?? 0) / 1000);
  logger.info({ nodes: table.size, ms: Math.round(reader.restoreMs ?? 0) }, 'metadata table restored');
  rt.onShutdown({ name: 'stop reading the metadata table', run: () => reader.stop() });
  // Stopping the runner finishes the chunk in flight: its transaction commits before the process exits.
  rt.onShutdown({ name: 'stop consuming (the chunk in flight commits)', run: () => runner.stop() });
  await withRetry('starting the consumer', () => runner.start(), STARTUP_RETRY);
}
