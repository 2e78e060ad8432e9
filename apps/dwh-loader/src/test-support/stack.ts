import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '@meterline/config';
import {
  AvroProducer,
  createKafka,
  describeTopic,
  emit,
  ensureTopics,
  openTopic,
  SchemaRegistryClient,
  type Admin,
  type Kafka,
  type Log,
  type TopicHandle,
} from '@meterline/kafka';
import { startRuntime, type Runtime } from '@meterline/runtime';
import {
  nodeMetadataTopic,
  nodeMetricAggTopic,
  nodeMetricEnrichedTopic,
  topicDeclarations,
  type NodeMetadata,
  type NodeMetricAgg,
  type NodeMetricEnriched,
  type NodeWindowKey,
} from '@meterline/schemas';
import { stackEndpoints, uniqueName } from '@meterline/testing';
import { dwhLoaderEnv } from '../config';
import { startDwhLoader, type DwhLoader, type DwhLoaderConfig, type DwhLoaderOptions } from '../dwh-loader';
import type { AggInput, MetadataInput } from './inputs';

const quiet: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface LoaderTopics {
  readonly enriched: TopicHandle<string, NodeMetricEnriched>;
  readonly agg: TopicHandle<NodeWindowKey, NodeMetricAgg>;
  readonly metadata: TopicHandle<string, NodeMetadata | null>;
}

/** The real stack under a topic prefix of the test's own, a producer, and a directory for the warehouse file. */
export interface LoaderStack {
  readonly prefix: string;
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly registry: SchemaRegistryClient;
  readonly producer: AvroProducer;
  readonly topics: LoaderTopics;
  readonly dbPath: string;
  /** The loader's environment: this stack, this prefix, an ephemeral HTTP port, the warehouse file; plus `extra`. */
  env(extra?: Readonly<Record<string, string>>): Record<string, string>;
  sendEnriched(values: readonly NodeMetricEnriched[]): Promise<void>;
  sendAgg(inputs: readonly AggInput[]): Promise<void>;
  sendMetadata(inputs: readonly MetadataInput[]): Promise<void>;
  /** Messages as bytes, for what no serializer would write. */
  sendRaw(topic: string, messages: readonly { key: Buffer | string | null; value: Buffer | string | null }[]): Promise<void>;
  /** Each partition's end (high watermark) of a topic. */
  endOffsets(topic: string): Promise<Map<number, string>>;
  close(): Promise<void>;
}

export async function loaderStack(name: string): Promise<LoaderStack> {
  const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: `${name}-spec`, logger: quiet });
  const prefix = `${uniqueName(name)}.`;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicDeclarations(prefix));
  const registry = new SchemaRegistryClient({ url: schemaRegistryUrl });
  const topics: LoaderTopics = {
    enriched: await openTopic(registry, describeTopic(nodeMetricEnrichedTopic, prefix)),
    agg: await openTopic(registry, describeTopic(nodeMetricAggTopic, prefix)),
    metadata: await openTopic(registry, describeTopic(nodeMetadataTopic, prefix)),
  };
  // Idempotent: a retried send must not append a record twice, or the topic would hold more than the test sent.
  const producer = new AvroProducer(kafka, { idempotent: true });
  await producer.connect();
  const dir = mkdtempSync(join(tmpdir(), `meterline-${name}-`));
  const chunks = <T>(items: readonly T[], size = 2_000) =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
  return {
    prefix,
    kafka,
    admin,
    registry,
    producer,
    topics,
    dbPath: join(dir, 'warehouse.duckdb'),
    env(extra = {}) {
      return {
        KAFKA_BROKERS: kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: schemaRegistryUrl,
        TOPIC_PREFIX: prefix,
        HTTP_PORT: '0',
        HTTP_HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DWH_LOADER_DUCKDB_PATH: join(dir, 'warehouse.duckdb'),
        DWH_LOADER_SESSION_TIMEOUT: '6s',
        ...extra,
      };
    },
    async sendEnriched(values) {
      for (const chunk of chunks(values)) await producer.send(chunk.map((v) => emit(topics.enriched, v.node_id, v)));
    },
    async sendAgg(inputs) {
      for (const chunk of chunks(inputs)) await producer.send(chunk.map((a) => emit(topics.agg, a.key, a.value)));
    },
    async sendMetadata(inputs) {
      for (const chunk of chunks(inputs)) await producer.send(chunk.map((m) => emit(topics.metadata, m.key, m.value)));
    },
    async sendRaw(topic, messages) {
      await producer.producer.send({ topic, acks: -1, messages: messages.map((m) => ({ key: m.key, value: m.value })) });
    },
    async endOffsets(topic) {
      return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
    },
    async close() {
      await producer.disconnect();
      await admin.disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stands in for `process`: the test sends the signal, and exit codes are recorded instead of ending jest. */
export class FakeProcess extends EventEmitter {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }

  /** Resolves with the exit code a shutdown chose (started by the test or by a fatal error). */
  async exited(): Promise<number> {
    while (this.exits.length === 0) await new Promise((r) => setTimeout(r, 20));
    return this.exits[0] as number;
  }

  async terminate(): Promise<number> {
    this.emit('SIGTERM', 'SIGTERM');
    return this.exited();
  }
}

export interface InProcessLoader {
  readonly rt: Runtime<DwhLoaderConfig>;
  readonly loader: DwhLoader;
  readonly proc: FakeProcess;
  get(path: string): Promise<{ status: number; body: string }>;
}

/** dwh-loader in this process, wired exactly as main.ts wires it, with the runtime's exit recorded by a FakeProcess. */
export async function runInProcess(env: Readonly<Record<string, string>>, options: DwhLoaderOptions = {}): Promise<InProcessLoader> {
  const config = parseEnv(dwhLoaderEnv, env) as DwhLoaderConfig;
  const proc = new FakeProcess();
  const rt = await startRuntime('dwh-loader', config, { proc });
  const loader = await startDwhLoader(rt, options);
  return {
    rt,
    loader,
    proc,
    async get(path) {
      const response = await fetch(`${rt.http.url}${path}`, { signal: AbortSignal.timeout(5_000) });
      return { status: response.status, body: await response.text() };
    },
  };
}

/** Whether the warehouse's stored positions of every topic have reached the topics' ends. */
export async function caughtUp(stack: LoaderStack, readStored: (topic: string) => Promise<ReadonlyMap<number, string>>): Promise<boolean> {
  for (const topic of [stack.topics.enriched.name, stack.topics.agg.name, stack.topics.metadata.name]) {
    const ends = await stack.endOffsets(topic);
    const stored = await readStored(topic);
    for (const [partition, end] of ends) if (end !== '0' && stored.get(partition) !== end) return false;
  }
  return true;
}
