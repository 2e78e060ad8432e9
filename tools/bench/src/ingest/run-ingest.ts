import { spawnService, type ServiceProcess } from '@meterline/demo';
import { AvroProducer, createKafka, emit, openTopic, SchemaRegistryClient } from '@meterline/kafka';
import { ensureStack, waitFor } from '@meterline/local-stack';
import { createLogger } from '@meterline/observability';
import { benchNames, createBenchTopics, runIdOf } from '../bench-topics';
import { produceAll, type ProduceResult } from '../kafkajs-produce';
import { sampleRecord } from '../sample-records';
import { httpLoad, httpOpenLoop, type HttpLoadResult } from './http-load';
import { replayFile, type ReplayResult } from './replay-file';

export interface IngestBenchOptions {
  readonly replayRecords: number;
  readonly batch: number;
  readonly requests: number;
  readonly clients: number;
  readonly baselineRecords: number;
}

export interface IngestBenchResult {
  readonly bench: 'ingest';
  readonly runId: string;
  readonly timestamp: string;
  readonly node: string;
  readonly options: IngestBenchOptions;
  readonly baseline: ProduceResult;
  readonly http: HttpLoadResult;
  /** Requests sent at the target rate (20k records/s) regardless of answers: the latency figure for the target. */
  readonly httpAtTarget: HttpLoadResult;
  readonly replay: ReplayResult;
  readonly ratios: { readonly httpVsProduce: number; readonly replayVsProduce: number };
  readonly targets: { readonly httpRecordsPerSec: number; readonly httpP99Ms: number; readonly replayVsProduce: number };
}

/** The target: 20,000 records/s over HTTP with p99 < 50 ms. */
const TARGET_RECORDS_PER_SEC = 20_000;

/** A request body as clients send it: the bench's ~200-byte samples in the API's JSON shape. */
function body(from: number, count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => {
      const { value } = sampleRecord(from + i);
      return { ...value, event_time: new Date(value.event_time).toISOString() };
    }),
  );
}

/**
 * The no-op produce baseline (kafkajs sending the same records in the same batch size) and ingest's HTTP API, run as
 * the built service, one after the other in the same run, so their ratio is meaningful on a noisy machine.
 */
export async function runIngestBench(options: IngestBenchOptions, progress: (line: string) => void): Promise<IngestBenchResult> {
  const endpoints = await ensureStack({ log: progress });
  const runId = runIdOf(new Date());
  const names = benchNames(runId);
  const logger = createLogger({ service: 'bench', level: 'warn', destination: process.stderr });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `bench-${runId}`, logger });
  const admin = kafka.admin();
  const producer = new AvroProducer(kafka);
  let service: ServiceProcess | undefined;
  await admin.connect();
  try {
    await createBenchTopics(admin, names);
    await producer.connect();
    const source = await openTopic(new SchemaRegistryClient({ url: endpoints.schemaRegistryUrl }), names.source);

    progress(`baseline: AvroProducer.send of ${options.baselineRecords} records, ${options.batch} per send`);
    const emits = Array.from({ length: options.baselineRecords }, (_, seq) => {
      const { key, value } = sampleRecord(seq);
      return emit(source, key, value);
    });
    const baseline = await produceAll(producer, emits, options.batch, 1);

    progress('starting the built ingest service (dist/apps/ingest)');
    service = spawnService('ingest', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: `${names.prefix}ingest.`,
      HTTP_PORT: '0',
      // info: the service announces its URL in an info line, which is how spawnService learns the port.
      LOG_LEVEL: 'info',
    });
    const url = await service.url;
    await waitFor(async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 60_000, message: 'ingest ready' });

    const bodies = Array.from({ length: 50 }, (_, b) => body(b * options.batch, options.batch));
    progress(`http: warming up, then ${options.requests} requests of ${options.batch} records from ${options.clients} clients`);
    await httpLoad(`${url}/v1/metrics`, bodies, options.batch, Math.min(40, options.requests), options.clients);
    const http = await httpLoad(`${url}/v1/metrics`, bodies, options.batch, options.requests, options.clients);
    progress(`http: open loop at ${TARGET_RECORDS_PER_SEC} records/s for 10 s`);
    const httpAtTarget = await httpOpenLoop(`${url}/v1/metrics`, bodies, options.batch, TARGET_RECORDS_PER_SEC / options.batch, 10_000);

    progress(`replay: ${options.replayRecords} records through the built CLI (dist/apps/ingest/cli.js)`);
    const replay = await replayFile(options.replayRecords, {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: `${names.prefix}replay.`,
    });
    const ratio = (x: number) => Math.round((x / baseline.recordsPerSec) * 1000) / 1000;

    return {
      bench: 'ingest',
      runId,
      timestamp: new Date().toISOString(),
      node: process.version,
      options,
      baseline,
      http,
      httpAtTarget,
      replay,
      ratios: { httpVsProduce: ratio(http.recordsPerSec), replayVsProduce: ratio(replay.recordsPerSec) },
      targets: { httpRecordsPerSec: TARGET_RECORDS_PER_SEC, httpP99Ms: 50, replayVsProduce: 0.6 },
    };
  } finally {
    service?.signal('SIGTERM');
    await service?.exited;
    await producer.disconnect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(names.prefix));
    await admin.deleteTopics({ topics }).catch((err: unknown) => progress(`cleanup: ${(err as Error).message}`));
    await admin.disconnect();
    progress(`removed ${topics.length} topics under ${names.prefix} (registry subjects stay; the stack is disposable)`);
  }
}

