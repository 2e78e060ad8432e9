import { describeTopic, ensureTopics, type Admin, type TopicDescription, type TopicHandle } from '@meterline/kafka';
import { nodeMetricRawTopic, topicDeclarations, type NodeId, type NodeMetricRaw, type TopicDeclaration } from '@meterline/schemas';

export type RawTopic = TopicDescription<NodeId, NodeMetricRaw>;
export type RawHandle = TopicHandle<NodeId, NodeMetricRaw>;

/** The topics and consumer groups of one run, all under `bench-<run id>.` so that runs never meet. */
export interface BenchNames {
  readonly prefix: string;
  /** Raw bytes from the untimed broker warm-up. */
  readonly warmup: string;
  /** Raw bytes from ProducerPerformance, read back by ConsumerPerformance. */
  readonly perf: string;
  /** The kafkajs producer's output and the relay's input. */
  readonly source: RawTopic;
  /** The relay's output. */
  readonly target: RawTopic;
  readonly groups: {
    readonly consumerPerformance: string;
    readonly relay: string;
    readonly readSource: string;
    readonly readTarget: string;
  };
}

/** A run id that sorts by time and reads as one: `20261122T005249123Z`. */
export const runIdOf = (now: Date): string => now.toISOString().replace(/[-:.]/g, '');

export function benchNames(runId: string): BenchNames {
  const prefix = `bench-${runId}.`;
  return {
    prefix,
    warmup: `${prefix}warmup.${nodeMetricRawTopic.name}`,
    perf: `${prefix}perf.${nodeMetricRawTopic.name}`,
    // The catalog's topic under two prefixes: the same partitions, configs and schemas as production, other names.
    source: describeTopic(nodeMetricRawTopic, `${prefix}source.`),
    target: describeTopic(nodeMetricRawTopic, `${prefix}target.`),
    groups: {
      consumerPerformance: `${prefix}consumer-performance`,
      relay: `${prefix}relay`,
      readSource: `${prefix}read-source`,
      readTarget: `${prefix}read-target`,
    },
  };
}

/**
 * The topics as the catalog declares `metrics.node.raw.v1` (6 partitions, delete policy, LogAppendTime), which the
 * latency phase depends on: both topics stamp append time, so target − source time is the time spent in the relay.
 */
export function benchTopicDeclarations(names: BenchNames): TopicDeclaration[] {
  const fromCatalog = (prefix: string, name: string): TopicDeclaration => {
    const found = topicDeclarations(prefix).find((d) => d.name === name);
    if (!found) throw new Error(`the catalog declares no topic ${name}`);
    return found;
  };
  const source = fromCatalog(`${names.prefix}source.`, names.source.name);
  return [
    { ...source, name: names.warmup },
    { ...source, name: names.perf },
    source,
    // The runner writes rejects there; the identity relay rejects none (else the target would fall short of N).
    fromCatalog(`${names.prefix}source.`, names.source.dlq),
    fromCatalog(`${names.prefix}target.`, names.target.name),
  ];
}

export async function createBenchTopics(admin: Admin, names: BenchNames): Promise<string[]> {
  const declarations = benchTopicDeclarations(names);
  await ensureTopics(admin, declarations);
  return declarations.map((d) => d.name);
}
