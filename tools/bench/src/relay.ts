import {
  AvroProducer,
  ConsumerRunner,
  DlqWriter,
  emit,
  kafkaSink,
  type ConsumedRecord,
  type Kafka,
  type Log,
  type RecordContext,
} from '@meterline/kafka';
import type { NodeId, NodeMetricRaw } from '@meterline/schemas';
import { ok, Pipeline, step, type MeterlineError } from '@meterline/stream';
import type { RawHandle } from './bench-topics';

type Raw = ConsumedRecord<NodeId, NodeMetricRaw>;

export interface RelayOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly source: RawHandle;
  readonly target: RawHandle;
  readonly logger: Log;
  readonly chunkSize: number;
  readonly partitionsConcurrently: number;
  readonly onFatal: (error: MeterlineError) => void;
}

/** The no-op service: consume Avro → decode → identity step → encode → produce, committing after each chunk. */
export class Relay {
  readonly producer: AvroProducer;
  readonly runner: ConsumerRunner<NodeId, NodeMetricRaw, Raw>;

  constructor(o: RelayOptions) {
    // Its own producer, as a service has: the bench's other producers must not share (or queue behind) its connection.
    this.producer = new AvroProducer(o.kafka);
    const pipeline = Pipeline.of<Raw, RecordContext>().then(step('identity', (r: Raw) => ok(r)));
    this.runner = new ConsumerRunner({
      kafka: o.kafka,
      groupId: o.groupId,
      input: o.source,
      pipeline,
      // The key is never null here (every bench record has one); the value's node id is the same string.
      sink: kafkaSink(this.producer, (r: Raw) => emit(o.target, r.key ?? r.value.node_id, r.value)),
      dlq: new DlqWriter(this.producer.producer),
      logger: o.logger,
      chunkSize: o.chunkSize,
      partitionsConsumedConcurrently: o.partitionsConcurrently,
      fromBeginning: true,
      onFatal: o.onFatal,
    });
  }

  /** Resolves once the consumer has joined its group and fetching begins. */
  async start(): Promise<void> {
    await this.producer.connect();
    await this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.producer.disconnect();
  }
}
