import type { IHeaders, Kafka, Message, Producer } from 'kafkajs';
import { fatalError } from '@meterline/stream';
import { javaCompatiblePartitioner } from './java-partitioner';
import { classifyKafkaError } from './kafka-errors';
import type { TopicHandle } from './topic-handle';

/** One record to produce, typed by its topic when built with `emit`. */
export interface Emit {
  readonly topic: TopicHandle<unknown, unknown>;
  readonly key: unknown;
  readonly value: unknown;
  readonly headers?: IHeaders;
}

/** The only way to build an Emit: the compiler checks key and value against the topic's types. */
export const emit = <K, V>(topic: TopicHandle<K, V>, key: K, value: V, headers?: IHeaders): Emit => ({
  topic: topic as unknown as TopicHandle<unknown, unknown>,
  key,
  value,
  ...(headers ? { headers } : {}),
});

export interface EncodedBatch {
  readonly topic: string;
  readonly messages: Message[];
}

/**
 * Encodes a record for its topic. Throws a poison error when the value does not fit the schema. A null value on a
 * compacted topic is a tombstone and is sent as a null value, as Kafka expects.
 */
export function encodeEmit(e: Emit): Message {
  const value = e.value === null ? null : e.topic.value.encode(e.value);
  if (value === null && !e.topic.tombstones) {
    throw fatalError('NULL_VALUE', `a null value was emitted to ${e.topic.name}, which is not a compacted topic`);
  }
  // No record timestamp is set: the broker stamps append time, so historical event times (carried in the value)
  // never reach time-based retention. See the design doc, "Historical replay and retention".
  return { key: e.topic.key.encode(e.key), value, ...(e.headers ? { headers: e.headers } : {}) };
}

export function groupByTopic(entries: readonly { topic: string; message: Message }[]): EncodedBatch[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, message } of entries) {
    const list = byTopic.get(topic);
    if (list) list.push(message);
    else byTopic.set(topic, [message]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

export interface AvroProducerOptions {
  /**
   * Off by default: the idempotent kafkajs producer retries forever, which would turn a broker outage into a silent
   * stall instead of the bounded retry and loud failure our runners implement. Duplicates from a retried send are
   * handled downstream (dedup in enrichment, offsets in the warehouse).
   */
  readonly idempotent?: boolean;
}

/**
 * A kafkajs producer with the partitioner chosen explicitly: Java's murmur2 of the key bytes, as in Kafka's own
 * clients, so a node's records land on the same partition whichever language produced them.
 */
export class AvroProducer {
  readonly producer: Producer;

  constructor(kafka: Kafka, options: AvroProducerOptions = {}) {
    this.producer = kafka.producer({
      createPartitioner: javaCompatiblePartitioner,
      allowAutoTopicCreation: false,
      idempotent: options.idempotent ?? false,
      ...(options.idempotent ? {} : { retry: { retries: 5, initialRetryTime: 250, maxRetryTime: 5_000 } }),
    });
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (err) {
      throw classifyKafkaError(err, 'connecting the producer');
    }
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Encodes and sends, acknowledged by all in-sync replicas. Throws poison on the first record that cannot encode. */
  async send(emits: readonly Emit[]): Promise<void> {
    await this.sendEncoded(groupByTopic(emits.map((e) => ({ topic: e.topic.name, message: encodeEmit(e) }))));
  }

  async sendEncoded(batches: readonly EncodedBatch[]): Promise<void> {
    if (batches.length === 0) return;
    try {
      await this.producer.sendBatch({ acks: -1, topicMessages: [...batches] });
    } catch (err) {
      throw classifyKafkaError(err, 'producing');
    }
  }
}
