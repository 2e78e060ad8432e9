import {
  ConsumerRunner,
  type Admin,
  type ConsumedRecord,
  type DlqWriter,
  type Kafka,
  type Log,
  type RecordContext,
  type Sink,
  type TopicHandle,
} from '@meterline/kafka';
import { waitFor } from '@meterline/local-stack';
import type { NodeId, NodeMetricRaw } from '@meterline/schemas';
import { ok, Pipeline, step } from '@meterline/stream';
import { seqOf } from './sample-records';
import type { Offsets } from './offsets';

/** Sequence number → the record's broker timestamp (append time, epoch ms). */
export type Stamps = Map<number, number>;

/** Any topic whose values carry the raw sample's labels (raw, enriched): the sequence number is one of them. */
type Labelled = Pick<NodeMetricRaw, 'labels'>;
type Raw = ConsumedRecord<NodeId, Labelled>;

export interface ReadBackOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  readonly groupId: string;
  readonly topic: TopicHandle<NodeId, Labelled>;
  /** Where to start in each partition: the high watermarks just before the paced phase. */
  readonly from: Offsets;
  readonly count: number;
  /** Never written to: the reader's pipeline rejects nothing. */
  readonly dlq: DlqWriter;
  readonly logger: Log;
  readonly timeoutMs: number;
}

/**
 * Reads `count` records from the given offsets and returns each one's append time by sequence number. The offsets are
 * committed for a fresh group first, so a plain ConsumerRunner starts exactly there instead of at the backlog.
 */
export async function readStamps(o: ReadBackOptions): Promise<Stamps> {
  await o.admin.setOffsets({
    groupId: o.groupId,
    topic: o.topic.name,
    partitions: [...o.from].map(([partition, offset]) => ({ partition, offset: String(offset) })),
  });
  const stamps: Stamps = new Map();
  const sink: Sink<{ seq: number | undefined; timestamp: number }> = {
    async write(items) {
      for (const { value } of items) if (value.seq !== undefined) stamps.set(value.seq, value.timestamp);
      return [];
    },
  };
  let failure: Error | undefined;
  const runner = new ConsumerRunner({
    kafka: o.kafka,
    groupId: o.groupId,
    input: o.topic,
    pipeline: Pipeline.of<Raw, RecordContext>().then(
      step('stamp', (r: Raw) => ok({ seq: seqOf(r.value), timestamp: r.timestamp })),
    ),
    sink,
    dlq: o.dlq,
    logger: o.logger,
    fromBeginning: false,
    // kafkajs's disconnect waits for the fetch in flight, which an idle topic holds open for maxWaitTimeInMs (5 s by
    // default); a short wait makes stop() quick once every record is in.
    consumerConfig: { maxWaitTimeInMs: 100 },
    onFatal: (err) => (failure = err),
  });
  await runner.start();
  try {
    await waitFor(
      () => {
        if (failure) throw failure;
        return stamps.size >= o.count;
      },
      { timeoutMs: o.timeoutMs, message: () => `${o.count} records read back from ${o.topic.name} (have ${stamps.size})` },
    );
  } finally {
    await runner.stop();
  }
  return stamps;
}
