import type { Message } from 'kafkajs';
import { classify, type Item, type Rejected } from '@meterline/stream';
import type { RecordContext } from './consumed-record';
import { encodeEmit, groupByTopic, type AvroProducer, type Emit } from './producer';

/**
 * Where a pipeline's outputs go. `write` resolves once the outputs are durable, returning the items it rejected
 * (their source records go to the DLQ); it throws on a transient or fatal failure, and the runner decides what next.
 */
export interface Sink<O> {
  write(items: readonly Item<O, RecordContext>[]): Promise<readonly Rejected<RecordContext>[]>;
}

/** Produces each output to the topic(s) `route` names. An output that does not fit its schema rejects its source. */
export function kafkaSink<O>(producer: AvroProducer, route: (output: O) => Emit | readonly Emit[]): Sink<O> {
  return {
    async write(items) {
      const rejected: Rejected<RecordContext>[] = [];
      const encoded: { topic: string; message: Message }[] = [];
      for (const item of items) {
        try {
          const routed = route(item.value);
          const emits: readonly Emit[] = Array.isArray(routed) ? routed : [routed as Emit];
          // Encode all of an item's outputs before queueing any, so a rejected item sends nothing.
          const messages = emits.map((e) => ({ topic: e.topic.name, message: encodeEmit(e) }));
          encoded.push(...messages);
        } catch (err) {
          const error = classify(err);
          if (error.kind !== 'poison') throw error;
          rejected.push({ ctx: item.ctx, step: 'encode', error });
        }
      }
      await producer.sendEncoded(groupByTopic(encoded));
      return rejected;
    },
  };
}
