import {
  keySubject,
  topicName,
  valueSubject,
  type AvroSchema as CatalogSchema,
  type AnyTopicSpec,
  type CleanupPolicy,
  type TopicSpec,
} from '@meterline/schemas';
import { AvroSerde } from './avro-serde';
import type { AvroSchema, SchemaRegistryClient } from './schema-registry';

/** A topic as the runtime sees it: its full (prefixed) name, its serdes and its dead-letter topic. */
export interface TopicHandle<K, V> {
  readonly name: string;
  readonly dlq: string;
  readonly key: AvroSerde<K>;
  readonly value: AvroSerde<V>;
  /** Compacted topics treat a null value as "delete this key"; elsewhere a null value is poison. */
  readonly tombstones: boolean;
}

/** What opening a topic needs; `K` and `V` only type the handle. */
export interface TopicDescription<K, V> {
  readonly name: string;
  readonly dlq: string;
  /** Registry subjects; Confluent's TopicNameStrategy makes them `<topic>-key` and `<topic>-value`. */
  readonly keySubject: string;
  readonly valueSubject: string;
  readonly keySchema: AvroSchema;
  readonly valueSchema: AvroSchema;
  readonly tombstones: boolean;
  /** Type-level only. */
  readonly types?: { key: K; value: V };
}

/** On a compacted topic a record's value may be null: the tombstone. */
export type RecordValue<V, P extends CleanupPolicy> = P extends 'compact' ? V | null : V;

/** A catalog topic under an optional name prefix (tests and shared clusters isolate runs with one). */
export function describeTopic<K, V, P extends CleanupPolicy>(
  spec: TopicSpec<K, V, P>,
  prefix = '',
): TopicDescription<K, RecordValue<V, P>> {
  const any = spec as unknown as AnyTopicSpec;
  return {
    name: topicName(spec, prefix),
    dlq: topicName(spec.dlq, prefix),
    keySubject: keySubject(any, prefix),
    valueSubject: valueSubject(any, prefix),
    keySchema: toAvsc(spec.key.schema),
    valueSchema: toAvsc(spec.value.schema),
    tombstones: spec.cleanupPolicy === 'compact',
  };
}

// The catalog types its JSON as deeply readonly; avsc only reads it, so the cast is safe.
const toAvsc = (schema: CatalogSchema) => schema as unknown as AvroSchema;

/**
 * Builds the serdes of a topic and registers its schemas under their subjects (idempotent), so that encoding on the
 * hot path never waits for the registry.
 */
export async function openTopic<K, V>(
  registry: SchemaRegistryClient,
  t: TopicDescription<K, V>,
): Promise<TopicHandle<K, V>> {
  const handle: TopicHandle<K, V> = {
    name: t.name,
    dlq: t.dlq,
    key: new AvroSerde<K>(registry, t.keySubject, t.keySchema),
    value: new AvroSerde<V>(registry, t.valueSubject, t.valueSchema),
    tombstones: t.tombstones,
  };
  await Promise.all([handle.key.prepare(), handle.value.prepare()]);
  return handle;
}
