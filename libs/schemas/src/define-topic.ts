import type { CleanupPolicy, DlqSpec, TopicSpec } from './topic-spec';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Long enough to notice a poison record over a holiday weekend, inspect it and replay it after a fix. */
const DLQ_RETENTION_MS = 14 * DAY_MS;

/**
 * Time-based retention counts from record timestamps. Replays carry event times from years ago; if those became record
 * timestamps the broker would delete the replayed segments within minutes, silently. So every topic (and dead-letter
 * topic) has the broker stamp its own append time, whatever the producer sends, and event time travels in the value.
 */
const APPEND_TIME: Readonly<Record<string, string>> = Object.freeze({ 'message.timestamp.type': 'LogAppendTime' });

type TopicDefinition<K, V, P extends CleanupPolicy> = Omit<TopicSpec<K, V, P>, 'dlq' | 'configs'> & {
  readonly configs?: Readonly<Record<string, string>>;
};

/** A catalog entry with its dead-letter topic `<topic>.dlq`: same partitions, delete policy, 14 days. */
export function defineTopic<K, V, P extends CleanupPolicy>(definition: TopicDefinition<K, V, P>): TopicSpec<K, V, P> {
  const dlq: DlqSpec = Object.freeze({
    name: `${definition.name}.dlq`,
    partitions: definition.partitions,
    cleanupPolicy: 'delete',
    retentionMs: DLQ_RETENTION_MS,
    configs: APPEND_TIME,
  });
  const configs = Object.freeze({ ...APPEND_TIME, ...definition.configs });
  return Object.freeze({ ...definition, configs, dlq });
}
