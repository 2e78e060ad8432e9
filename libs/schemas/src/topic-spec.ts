import type { DataOf, VersionedSchema } from './versioned-schema';

/** Kafka's `cleanup.policy`: `delete` drops old segments by retention, `compact` keeps the latest record per key. */
export type CleanupPolicy = 'delete' | 'compact';

/** How the broker keeps one topic: what start-up creates (idempotently) and the compose/k8s setup declares. */
export interface TopicSettings<P extends CleanupPolicy = CleanupPolicy> {
  /** The name without any prefix; see `topicName`. */
  readonly name: string;
  readonly partitions: number;
  readonly cleanupPolicy: P;
  /** `retention.ms`, always declared rather than left to the broker default; -1 keeps records forever. */
  readonly retentionMs: number;
  /** Further topic configs by their Kafka names (`message.timestamp.type`, ...). */
  readonly configs: Readonly<Record<string, string>>;
}

/** A dead-letter topic: the original key and value bytes plus error headers, so it has no schema. */
export type DlqSpec = TopicSettings<'delete'>;

/** A topic of the catalog: settings, the schemas of its keys and values, and its dead-letter topic. */
export interface TopicSpec<K, V, P extends CleanupPolicy = CleanupPolicy> extends TopicSettings<P> {
  readonly key: VersionedSchema<K>;
  readonly value: VersionedSchema<V>;
  readonly dlq: DlqSpec;
}

/** Any topic of the catalog, when only its settings and names matter (start-up, lookups). */
export type AnyTopicSpec = TopicSpec<unknown, unknown>;

export type KeyOf<T extends AnyTopicSpec> = DataOf<T['key']>;

/** The type its value schema describes. */
export type ValueOf<T extends AnyTopicSpec> = DataOf<T['value']>;

/**
 * The value of a Kafka record on the topic, as produced and as consumed: on a compacted topic it may also be null,
 * the tombstone that deletes the key (a removed node on `metadata.node.v1`).
 */
export type RecordValueOf<T extends AnyTopicSpec> = T['cleanupPolicy'] extends 'compact'
  ? ValueOf<T> | null
  : ValueOf<T>;
