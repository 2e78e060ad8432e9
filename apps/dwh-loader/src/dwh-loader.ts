import type { ConfigOf } from '@meterline/config';
import {
  type AvroSerde,
  DEFAULT_RETRY,
  DlqWriter,
  EvolvingDecoder,
  ExternalOffsetsConsumer,
  withRetry,
} from '@meterline/kafka';
import { type BaseConfig, type Runtime, STARTUP_RETRY } from '@meterline/runtime';
import type { MeterlineError } from '@meterline/stream';
import type { Warehouse } from '@meterline/warehouse';
import { type dwhLoaderEnv, groupIdOf } from './config';
import { type Feed, FEEDS } from './feeds';
import { Loader, type FeedInput } from './loader';
import { createLoaderMetrics } from './loader-metrics';
import { TableLoader } from './table-loader';
import { openWarehouse } from './warehouse-factory';
import { WarehouseGuard } from './warehouse-guard';

export type DwhLoaderConfig = ConfigOf<typeof dwhLoaderEnv> & BaseConfig;

/** What a test (or a tool) running the loader in-process may look at. */
export interface DwhLoader {
  readonly group: string;
  readonly warehouse: Warehouse;
  readonly consumer: ExternalOffsetsConsumer;
  readonly loader: Loader;
}

/**
 * dwh-loader's wiring, run by main.ts inside runService: warehouse (opened, tables ensured, moved to newer schema
 * versions), one decoder and micro-batch loader per feed, the external-offsets consumer, readiness checks, and the
 * shutdown step. Integration tests run it in-process with a runtime of their own.
 */
export interface DwhLoaderOptions {
  readonly feeds?: readonly Feed[];
  /** Opens the warehouse; tests wrap the real one to inject an outage. */
  readonly open?: (config: DwhLoaderConfig) => Promise<Warehouse>;
}

export async function startDwhLoader(rt: Runtime<DwhLoaderConfig>, options: DwhLoaderOptions = {}): Promise<DwhLoader> {
  const feeds = options.feeds ?? FEEDS;
  const open = options.open ?? openWarehouse;
  const { config, logger } = rt;
  const group = groupIdOf(config);
  const stopping = new AbortController();
  const fail = (error: MeterlineError) => void rt.shutdown.fail(error, 'dwh-loader cannot go on');
  const metrics = createLoaderMetrics(rt.registry);
  const guard = new WarehouseGuard(
    { initialDelayMs: 250, maxDelayMs: 30_000, maxOutageMs: config.maxOutageMs },
    { log: logger, signal: stopping.signal, onChange: (available) => metrics.unavailable.set(available ? 0 : 1) },
  );
  let tablesReady = false;
  rt.health.addReadinessCheck('warehouse', () =>
    !tablesReady ? { ok: false, detail: 'opening' } : guard.available ? { ok: true, detail: config.warehouse } : { ok: false, detail: guard.problem ?? 'failing' },
  );

  const warehouse = await guard.run('opening the warehouse', () => open(config));
  // Filled in as start-up goes on; the shutdown step stops whatever exists by then.
  const parts: { tables: TableLoader[]; loader?: Loader; consumer?: ExternalOffsetsConsumer; ticker?: NodeJS.Timeout } = { tables: [] };
  rt.onShutdown({
    name: 'stop consuming, load what was taken, close the warehouse',
    run: async () => {
      clearInterval(parts.ticker);
      // A warehouse outage must not hold the shutdown: a load that fails now is read again at the next start.
      stopping.abort();
      for (const t of parts.tables) t.close();
      await parts.consumer?.stop();
      await Promise.all(parts.tables.map((t) => t.drain()));
      await warehouse.close();
    },
  });
  await guard.run('creating the warehouse tables', () => warehouse.ensureTables());

  const dlq = new DlqWriter((await rt.producer()).producer);
  const inputs: FeedInput[] = [];
  const startUpgrades = [];
  for (const feed of feeds) {
    const topic = await rt.openTopic(feed.topic);
    const values = new EvolvingDecoder<unknown>(rt.schemaRegistry, topic.value.subject, topic.value.schema);
    startUpgrades.push({ table: feed.table, upgrades: await withRetry(`reading the schema versions of ${topic.name}`, () => values.prepare(), STARTUP_RETRY) });
    const table = new TableLoader({
      feed,
      warehouse,
      guard,
      dlq,
      dlqTopicOf: () => topic.dlq,
      group,
      limits: { rows: config.batchRows, bytes: config.batchBytes, maxWaitMs: config.batchMaxWaitMs },
      metrics: { loader: metrics, pipeline: rt.metrics },
      log: logger,
      dlqRetry: DEFAULT_RETRY,
      signal: stopping.signal,
      onLoaded: (offsets) => parts.loader?.loaded(offsets),
      onFatal: fail,
    });
    parts.tables.push(table);
    inputs.push({ feed, topic: topic.name, dlq: topic.dlq, tombstones: topic.tombstones, keys: topic.key as AvroSerde<string>, values, table });
  }
  const loader = new Loader({
    inputs,
    warehouse,
    guard,
    group,
    log: logger,
    metrics: rt.metrics,
    commit: (offsets) => parts.consumer?.commitForMonitoring(offsets) ?? Promise.resolve([]),
    retry: DEFAULT_RETRY,
    signal: stopping.signal,
  });
  parts.loader = loader;
  for (const { table, upgrades } of startUpgrades) await loader.evolve(table, upgrades);
  tablesReady = true;

  const consumer = new ExternalOffsetsConsumer({
    kafka: rt.kafka,
    groupId: group,
    topics: loader.topics,
    readPositions: (topic) => loader.positions(topic),
    onAssigned: (assignment) => loader.assigned(assignment),
    onBatch: (batch, control) => loader.onBatch(batch, control),
    onSkipped: (topic, partition, nextOffset) => loader.skipped(topic, partition, nextOffset),
    logger,
    consumerConfig: {
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(config.sessionTimeoutMs / 10)),
      // A caught-up fetch waits this long for new records: also the longest a shutdown waits for the fetch in flight.
      maxWaitTimeInMs: 1_000,
    },
    onFatal: fail,
  });
  parts.consumer = consumer;
  rt.health.addReadinessCheck('consumer', () => ({ ok: consumer.isHealthy(), detail: group }));
  // Time-bound loads: ticking at a quarter of the wait bound keeps a batch's age within 125% of it.
  parts.ticker = setInterval(() => {
    for (const t of parts.tables) t.tick();
    void loader.commitMonitoring();
  }, Math.min(250, Math.max(10, config.batchMaxWaitMs / 4)));
  await withRetry('starting the consumer', () => consumer.start(), STARTUP_RETRY);
  logger.info({ group, warehouse: config.warehouse, tables: feeds.map((f) => f.table) }, 'loading');
  return { group, warehouse, consumer, loader };
}
