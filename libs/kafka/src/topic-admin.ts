import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { fatalError, transientError } from '@meterline/stream';
import { classifyKafkaError } from './kafka-errors';
import type { Log } from './log';

export interface TopicSettings {
  readonly name: string;
  readonly partitions: number;
  /** Topic-level configs, e.g. cleanup.policy, retention.ms. */
  readonly configs: Readonly<Record<string, string>>;
}

/** Configs whose difference changes semantics (compaction vs deletion): a mismatch stops start-up. */
const MUST_MATCH = ['cleanup.policy'];

/**
 * Creates the topics that are missing and checks the ones that exist. Safe to run from every instance at every
 * start-up, concurrently: "already exists" is success. A partition count or cleanup policy that differs from the
 * declaration is a fatal error (keys would hash to other partitions; a compacted table would lose its semantics),
 * other config drift (e.g. an operator's longer retention) is only logged.
 */
export async function ensureTopics(
  admin: Admin,
  topics: readonly TopicSettings[],
  options: { replicationFactor?: number; logger?: Log } = {},
): Promise<{ created: string[] }> {
  if (topics.length === 0) return { created: [] };
  let existingBefore: Set<string>;
  try {
    existingBefore = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existingBefore.has(t.name));
    // Another instance may create the same topics between our list and create: kafkajs reports that as success.
    if (missing.length > 0) {
      await admin.createTopics({
        // kafkajs's own wait retries LEADER_NOT_AVAILABLE only; a loaded broker also answers UNKNOWN_TOPIC_OR_PARTITION
        // for a topic it created a moment ago (seen on CI), so the wait is ours.
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: options.replicationFactor ?? -1,
          configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
        })),
      });
      await waitForLeaders(admin, missing.map((t) => t.name));
    }
  } catch (err) {
    throw classifyKafkaError(err, 'creating topics');
  }
  const created = topics.map((t) => t.name).filter((name) => !existingBefore.has(name));
  const problems = await findDrift(admin, topics, options.logger);
  if (problems.length > 0) {
    throw fatalError('TOPIC_MISMATCH', `existing topics differ from their declaration:\n  ${problems.join('\n  ')}`);
  }
  return { created };
}

/** Metadata errors that mean "a new topic has not reached the broker's metadata cache yet". */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/** Waits until every partition of the topics has a leader, for at most `timeoutMs`. */
async function waitForLeaders(admin: Admin, names: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [...names] });
      if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      if (!NOT_YET.has(String((err as { type?: unknown }).type)) || Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw transientError('TOPIC_NO_LEADER', `topics without partition leaders after ${timeoutMs} ms: ${names.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function findDrift(admin: Admin, topics: readonly TopicSettings[], logger?: Log): Promise<string[]> {
  const problems: string[] = [];
  try {
    const metadata = await admin.fetchTopicMetadata({ topics: topics.map((t) => t.name) });
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: Object.keys(t.configs) })),
    });
    for (const t of topics) {
      const actualPartitions = metadata.topics.find((m) => m.name === t.name)?.partitions.length;
      if (actualPartitions !== t.partitions) {
        problems.push(`${t.name}: ${actualPartitions} partitions, declared ${t.partitions}`);
      }
      const entries = described.resources.find((r) => r.resourceName === t.name)?.configEntries ?? [];
      for (const [name, declared] of Object.entries(t.configs)) {
        const actual = entries.find((e) => e.configName === name)?.configValue;
        if (actual === declared) continue;
        if (MUST_MATCH.includes(name)) problems.push(`${t.name}: ${name}=${actual}, declared ${declared}`);
        else logger?.warn({ topic: t.name, config: name, actual, declared }, 'topic config differs from its declaration');
      }
    }
  } catch (err) {
    throw classifyKafkaError(err, 'describing topics');
  }
  return problems;
}
