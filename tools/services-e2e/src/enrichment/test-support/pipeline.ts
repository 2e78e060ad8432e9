import { spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  createKafka,
  describeTopic,
  ensureTopics,
  openTopic,
  readPartitions,
  SchemaRegistryClient,
  type Admin,
  type Kafka,
  type TopicHandle,
} from '@meterline/kafka';
import {
  nodeMetadataTopic,
  nodeMetricAggTopic,
  nodeMetricEnrichedTopic,
  nodeMetricLateTopic,
  nodeMetricRawTopic,
  topicDeclarations,
  type AnyTopicSpec,
  type TopicSpec,
} from '@meterline/schemas';
import { stackEndpoints } from '@meterline/testing';
import { spawnService, type ServiceProcess } from '@meterline/demo';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A record read back from a topic, with where it was. */
export interface Read<K, V> {
  readonly partition: number;
  /** Position within the partition (0, 1, ...): offset order, without the gaps transaction markers leave. */
  readonly seq: number;
  readonly key: K;
  readonly value: V;
}

/** One isolated pipeline run: the catalog's topics under a prefix of its own, on the shared local stack. */
export class Pipeline {
  readonly kafka: Kafka;
  readonly admin: Admin;
  private readonly registry: SchemaRegistryClient;
  private readonly env: Record<string, string>;
  readonly services: ServiceProcess[] = [];

  constructor(readonly prefix: string) {
    const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
    this.kafka = createKafka({ brokers: kafkaBrokers, clientId: 'enrichment-e2e', logger: quiet });
    this.admin = this.kafka.admin();
    this.registry = new SchemaRegistryClient({ url: schemaRegistryUrl });
    this.env = { KAFKA_BROKERS: kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: schemaRegistryUrl, TOPIC_PREFIX: prefix };
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await ensureTopics(this.admin, topicDeclarations(this.prefix));
  }

  async stop(): Promise<void> {
    for (const s of this.services) s.signal('SIGKILL');
    await Promise.all(this.services.map((s) => s.exited));
    await this.admin.disconnect();
  }

  /** The built enrichment service as a process (as its Docker image runs it), on an ephemeral port; its URL comes from its info log. */
  enrichment(env: Readonly<Record<string, string>>): ServiceProcess {
    const service = spawnService('enrichment', { ...this.env, HTTP_PORT: '0', LOG_LEVEL: 'info', ...env });
    this.services.push(service);
    return service;
  }

  /** The built ingest CLI (`node dist/apps/ingest/cli.js ...`) against this run's topics; resolves with its stdout. */
  ingest(args: readonly string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'apps', 'ingest', 'cli.js'), ...args], {
        env: { PATH: process.env['PATH'] ?? '', ...this.env, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ingest ${args.join(' ')} exited ${code}:\n${err}`))));
    });
  }

  topic<K, V, P extends 'delete' | 'compact'>(spec: TopicSpec<K, V, P>): Promise<TopicHandle<K, V>> {
    return openTopic(this.registry, describeTopic(spec as unknown as AnyTopicSpec, this.prefix)) as Promise<TopicHandle<K, V>>;
  }

  /** Every committed record of a topic as of now, in partition and offset order. */
  async readAll<K, V>(spec: TopicSpec<K, V, 'delete' | 'compact'>): Promise<Read<K, V>[]> {
    const topic = (await this.topic(spec)) as TopicHandle<K, V | null>;
    const read: Read<K, V>[] = [];
    const seqs = new Map<number, number>();
    await readPartitions({
      kafka: this.kafka,
      admin: this.admin,
      topic,
      partitions: Array.from({ length: spec.partitions }, (_, i) => i),
      apply: (partition, key, value) => {
        const seq = (seqs.get(partition) ?? -1) + 1;
        seqs.set(partition, seq);
        read.push({ partition, seq, key, value: value as V });
      },
    });
    return read.sort((a, b) => a.partition - b.partition || a.seq - b.seq);
  }
}

export const topics = {
  raw: nodeMetricRawTopic,
  metadata: nodeMetadataTopic,
  enriched: nodeMetricEnrichedTopic,
  aggregates: nodeMetricAggTopic,
  late: nodeMetricLateTopic,
} as const;
