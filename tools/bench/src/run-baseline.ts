import * as os from 'node:os';
import { AvroProducer, createKafka, emit, openTopic, SchemaRegistryClient, type Emit } from '@meterline/kafka';
import { ensureStack, findJava } from '@meterline/local-stack';
import { createLogger } from '@meterline/observability';
import type { BenchConfig } from './bench-config';
import { benchNames, benchTopicDeclarations, createBenchTopics, runIdOf } from './bench-topics';
import { removeRunArtifacts } from './cleanup';
import { consumerPerformance, kafkaVersionIn, producerPerformance } from './java-tools';
import { produceBacklog } from './kafkajs-produce';
import { measureRelay } from './measure-relay';
import { ratiosOf, type BaselineResult } from './report';
import { sampleRecord } from './sample-records';

/** The value size ProducerPerformance is given; sampleRecord is shaped so the Avro values come close to it. */
const PERF_RECORD_BYTES = 200;

type Measured = Omit<BaselineResult, 'cleanupProblems'>;

/**
 * Runs the phases one after another, never two at once, so each has the machine's two cores to itself (the broker
 * always shares them): Kafka's Java producer and consumer, the kafkajs producer, then the relay over what it wrote.
 * Whatever happens, the run's topics, groups and subjects are removed before this returns or throws.
 */
export async function runBaseline(config: BenchConfig, progress: (line: string) => void): Promise<BaselineResult> {
  const endpoints = await ensureStack({ log: progress });
  const java = findJava(17, "Kafka's ProducerPerformance");
  // Logs go to stderr: stdout carries only the table and the JSON line.
  const logger = createLogger({ service: 'bench', level: config.logLevel, destination: process.stderr });
  const runId = runIdOf(new Date());
  const names = benchNames(runId);
  progress(`run ${runId}: topics under ${names.prefix}`);

  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `bench-${runId}`, logger });
  const admin = kafka.admin();
  const producer = new AvroProducer(kafka);
  const cleanup = async (): Promise<string[]> => {
    progress("removing the run's topics, consumer groups and registry subjects");
    await producer.disconnect();
    const problems = await removeRunArtifacts(admin, endpoints.schemaRegistryUrl, {
      topics: benchTopicDeclarations(names).map((d) => d.name),
      groups: Object.values(names.groups),
      subjects: [names.source, names.target].flatMap((t) => [t.keySubject, t.valueSubject]),
    });
    await admin.disconnect();
    for (const problem of problems) progress(`cleanup: ${problem}`);
    return problems;
  };

  await admin.connect();
  let measured: Measured;
  try {
    await createBenchTopics(admin, names);
    await producer.connect();
    const registry = new SchemaRegistryClient({ url: endpoints.schemaRegistryUrl });
    const [source, target] = await Promise.all([openTopic(registry, names.source), openTopic(registry, names.target)]);
    const tools = { java: java.executable, libsDir: endpoints.kafkaLibsDir, brokers: endpoints.kafkaBrokers, progress };

    if (config.warmupRecords > 0) {
      // A broker's first heavy load runs on code its JIT has not compiled yet: on a just-started stack a first
      // ProducerPerformance ran at 35k records/s and the next ones at ~60k. The warm-up keeps that out of the figures.
      progress(`0/4 warm-up: ProducerPerformance, ${config.warmupRecords} records, untimed`);
      await producerPerformance(tools, names.warmup, config.warmupRecords, PERF_RECORD_BYTES);
    }
    progress(`1/4 ProducerPerformance: ${config.perfRecords} records of ${PERF_RECORD_BYTES} B`);
    const pp = await producerPerformance(tools, names.perf, config.perfRecords, PERF_RECORD_BYTES);
    progress('2/4 ConsumerPerformance over the same records');
    const cp = await consumerPerformance(tools, names.perf, names.groups.consumerPerformance, config.perfRecords);

    progress(`3/4 kafkajs AvroProducer.send: ${config.relayRecords} records`);
    const backlog = await produceBacklog(producer, source, config.relayRecords, config.sendBatch, config.sendsInFlight);
    progress(`    ${backlog.produce.recordsPerSec} records/s`);

    // Numbered after the backlog, so the paced phase can tell its records apart.
    const pacedCount = Math.round((config.pacedRate * config.pacedDurationMs) / 1000);
    const paced: Emit[] = Array.from({ length: pacedCount }, (_, i) => {
      const { key, value } = sampleRecord(config.relayRecords + i);
      return emit(source, key, value);
    });
    progress('4/4 relay: backlog, then paced');
    const relay = await measureRelay({
      kafka,
      admin,
      producer,
      source,
      target,
      groups: names.groups,
      backlog: config.relayRecords,
      paced,
      pacedRate: config.pacedRate,
      chunkSize: config.chunkSize,
      partitionsConcurrently: config.partitionsConcurrently,
      logger,
      progress,
    });

    const figures = {
      producerPerformance: pp,
      consumerPerformance: cp,
      kafkajsProduce: backlog.produce,
      relay: relay.throughput,
    };
    measured = {
      bench: 'baseline',
      runId,
      timestamp: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      kafka: kafkaVersionIn(endpoints.kafkaLibsDir),
      javaMajor: java.major,
      config,
      recordBytes: {
        value: backlog.valueBytes,
        key: backlog.keyBytes,
        producerPerformanceValue: PERF_RECORD_BYTES,
      },
      ...figures,
      relayPaced: relay.paced,
      ratios: ratiosOf(figures),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { ...measured, cleanupProblems: await cleanup() };
}
