import type { IHeaders, KafkaMessage } from 'kafkajs';

/** A decoded record as pipeline steps see it: typed key and value, never Buffers. */
export interface ConsumedRecord<K, V> {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka record timestamp (append time, epoch ms). Event time lives in the value. */
  readonly timestamp: number;
  readonly key: K | null;
  readonly value: V;
  readonly headers: IHeaders;
}

/** Where a pipeline item came from; keeps the original bytes so a rejected record reaches the DLQ unchanged. */
export interface RecordContext {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: KafkaMessage;
}

export const sourceHeaders = (ctx: RecordContext): Record<string, string> => ({
  topic: ctx.topic,
  partition: String(ctx.partition),
  offset: ctx.offset,
  timestamp: ctx.message.timestamp,
});
