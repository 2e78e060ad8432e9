import { cpuSample, nodeMetadata } from './test-support/records';
import type { AnyTopicSpec, KeyOf, RecordValueOf } from './topic-spec';
import { nodeMetadataTopic, nodeMetricRawTopic } from './topics';

// The assertions that matter here are the @ts-expect-error lines: the typecheck target compiles specs and fails when
// one of those lines stops being an error. Jest (SWC, no type checking) only runs the calls that must compile.

interface Sent {
  readonly topic: string;
  readonly key: unknown;
  readonly value: unknown;
}

/** The signature a producer in libs/kafka takes: the topic decides the key and value types. */
const producer = (sent: Sent[]) =>
  function send<T extends AnyTopicSpec>(topic: T, key: KeyOf<T>, value: RecordValueOf<T>): void {
    sent.push({ topic: topic.name, key, value });
  };

describe('topic typing', () => {
  it("lets a producer send only the topic's value type, and tombstones only to a compacted topic", () => {
    const sent: Sent[] = [];
    const send = producer(sent);
    const sample = cpuSample();
    const metadata = nodeMetadata();

    send(nodeMetricRawTopic, sample.node_id, sample);
    send(nodeMetadataTopic, metadata.node_id, metadata);
    send(nodeMetadataTopic, metadata.node_id, null);
    // @ts-expect-error node metadata is not a metric sample
    send(nodeMetricRawTopic, metadata.node_id, metadata);
    // @ts-expect-error a metric sample is not node metadata
    send(nodeMetadataTopic, sample.node_id, sample);
    // @ts-expect-error raw metrics are not compacted, so a null value would delete nothing
    send(nodeMetricRawTopic, sample.node_id, null);
    // @ts-expect-error keys are node ids, which are strings
    send(nodeMetadataTopic, 42, metadata);

    expect(sent.map((s) => [s.topic, s.value === null])).toEqual([
      ['metrics.node.raw.v1', false],
      ['metadata.node.v1', false],
      ['metadata.node.v1', true],
      ['metrics.node.raw.v1', false],
      ['metadata.node.v1', false],
      ['metrics.node.raw.v1', true],
      ['metadata.node.v1', false],
    ]);
  });
});
