import { spawnService, type ServiceProcess } from '@meterline/demo';
import {
  AvroProducer,
  createKafka,
  describeTopic,
  DlqWriter,
  emit,
  ensureTopics,
  openTopic,
  SchemaRegistryClient,
  type Emit,
} from '@meterline/kafka';
import { ensureStack, waitFor } from '@meterline/local-stack';
import { createLogger } from '@meterline/observability';
import {
  nodeMetadataTopic,
  nodeMetricEnrichedTopic,
  nodeMetricRawTopic,
  topicDeclarations,
  type NodeMetadata,
} from '@meterline/schemas';
import { isMeterlineError } from '@meterline/stream';
import { loadBenchConfig } from './bench-config';
import { runIdOf } from './bench-topics';
import { produceBacklog } from './kafkajs-produce';
import { relayLatency, type RelayLatency } from './latency';
import { highWatermarks } from './offsets';
import { producePaced } from './paced-producer';
import { readStamps } from './read-back';
import { runBaseline } from './run-baseline';
import { NODES, sampleRecord } from './sample-records';
import { rate } from './stats';

/**
 * `npm run bench:enrichment [-- --relay-records 100000 --paced-rate 2000 --paced-duration 10s]`: the foundation's relay
 * baseline (bench:baseline, same options), then the built enrichment service (dist/apps/enrichment) over the same
 * number of records of the same shape: records/s draining a backlog, as a ratio to the relay's; then the latency a
 * record gains passing through it at a steady rate (enriched append time − raw append time, one broker clock).
 * Progress on stderr; stdout is a summary and, as its last line, one JSON object.
 */
async function main(argv: readonly string[]): Promise<void> {
  const config = loadBenchConfig(argv);
  if (config === 'help') return;
  const progress = (line: string) => console.error(`bench: ${line}`);

  progress('part 1: the relay baseline');
  const baseline = await runBaseline(config, progress);

  progress('part 2: enrichment');
  const endpoints = await ensureStack({ log: progress });
  const prefix = `bench-${runIdOf(new Date())}.enrich.`;
  const logger = createLogger({ service: 'bench', level: 'warn', destination: process.stderr });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'bench-enrichment', logger });
  const admin = kafka.admin();
  const producer = new AvroProducer(kafka);
  let service: ServiceProcess | undefined;
  await admin.connect();
  try {
    await ensureTopics(admin, topicDeclarations(prefix));
    await producer.connect();
    const registry = new SchemaRegistryClient({ url: endpoints.schemaRegistryUrl });
    const raw = await openTopic(registry, describeTopic(nodeMetricRawTopic, prefix));
    const enriched = await openTopic(registry, describeTopic(nodeMetricEnrichedTopic, prefix));
    const metadata = await openTopic(registry, describeTopic(nodeMetadataTopic, prefix));

    // Every node has metadata, so every sample is a join hit: the common case, and no hold timeout in the figures.
    const nodes: Emit[] = Array.from({ length: NODES }, (_, i) => {
      const node = sampleRecord(i).key;
      const value: NodeMetadata = { node_id: node, instance_type: 'm5.xlarge', zone: 'eu-west-1a', labels: {}, updated_at: Date.UTC(2024, 0, 1) };
      return emit(metadata, node, value);
    });
    await producer.send(nodes);
    progress(`backlog: ${config.relayRecords} raw records`);
    await produceBacklog(producer, raw, config.relayRecords, config.sendBatch, config.sendsInFlight);

    service = spawnService('enrichment', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      ENRICHMENT_CHUNK_SIZE: String(config.chunkSize),
    });
    const url = await service.url;
    // From the first records consumed to the last: start-up, the table restore and the group join are not drain time.
    let first: { at: number; n: number } | undefined;
    let last = { at: 0, n: 0 };
    await waitFor(
      async () => {
        const n = await consumed(url).catch(() => 0);
        const at = performance.now();
        if (n > 0 && first === undefined) first = { at, n };
        if (n > last.n) last = { at, n };
        return n >= config.relayRecords;
      },
      { timeoutMs: 600_000, intervalMs: 20, message: `${config.relayRecords} raw records consumed` },
    );
    const start = first ?? last;
    const drained = { records: last.n - start.n, recordsPerSec: rate(last.n - start.n, Math.max(1, last.at - start.at)) };
    progress(`drained at ${drained.recordsPerSec} records/s; paced phase: ${config.pacedRate}/s`);

    const [rawFrom, enrichedFrom] = await Promise.all([highWatermarks(admin, raw.name), highWatermarks(admin, enriched.name)]);
    const pacedCount = Math.round((config.pacedRate * config.pacedDurationMs) / 1000);
    const paced = Array.from({ length: pacedCount }, (_, i) => {
      const { key, value } = sampleRecord(config.relayRecords + i);
      return emit(raw, key, value);
    });
    const offered = await producePaced(producer, paced, config.pacedRate);
    const read = (topic: typeof raw | typeof enriched, from: typeof rawFrom, group: string) =>
      readStamps({ kafka, admin, groupId: `${prefix}${group}`, topic, from, count: pacedCount, dlq: new DlqWriter(producer.producer), logger, timeoutMs: 300_000 });
    const latency: RelayLatency = relayLatency(await read(raw, rawFrom, 'read-raw'), await read(enriched, enrichedFrom, 'read-enriched'));

    const result = {
      bench: 'enrichment' as const,
      timestamp: new Date().toISOString(),
      node: process.version,
      records: config.relayRecords,
      relay: { recordsPerSec: baseline.relay.recordsPerSec, pacedLatency: baseline.relayPaced.latency },
      enrichment: { ...drained, pacedRate: config.pacedRate, offeredPerSec: offered.recordsPerSec, latency },
      ratios: { throughputVsRelay: Number((drained.recordsPerSec / baseline.relay.recordsPerSec).toFixed(3)) },
      targets: { throughputVsRelay: 0.5 },
    };
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(`relay (foundation)   ${baseline.relay.recordsPerSec} records/s   p50 ${ms(baseline.relayPaced.latency.p50Ms)}   p99 ${ms(baseline.relayPaced.latency.p99Ms)}`);
    console.log(`enrichment           ${drained.recordsPerSec} records/s   p50 ${ms(latency.p50Ms)}   p99 ${ms(latency.p99Ms)}   (missing ${latency.missing})`);
    console.log(`throughput ratio     ${result.ratios.throughputVsRelay} (target ≥ 0.5)`);
    console.log(JSON.stringify(result));
  } finally {
    service?.signal('SIGTERM');
    await service?.exited;
    await producer.disconnect();
    await admin.disconnect();
  }
}

/** Raw records the service has consumed, from its own /metrics. */
async function consumed(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('records_consumed_total{') && l.includes('metrics.node.raw.v1"'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(isMeterlineError(err) ? `bench: ${err.message}` : err);
  process.exitCode = 1;
});
