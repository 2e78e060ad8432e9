import * as avro from 'avsc';
import { nodeMetricRawSchema } from '@meterline/schemas';
import { sampleRecord, seqOf } from './sample-records';

const type = avro.Type.forSchema(nodeMetricRawSchema.schema as unknown as avro.Schema);
/** Confluent framing: magic byte + 4-byte schema id before the Avro body. */
const FRAME_BYTES = 5;

describe('sampleRecord', () => {
  it('builds values the NodeMetricRaw schema accepts', () => {
    for (const seq of [0, 1, 2, 47, 48, 199_999]) expect(type.isValid(sampleRecord(seq).value)).toBe(true);
  });

  it('comes to about the 200 bytes ProducerPerformance is given', () => {
    const sizes = Array.from({ length: 1_000 }, (_, i) => FRAME_BYTES + type.toBuffer(sampleRecord(100_000 + i).value).length);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(190);
    expect(mean).toBeLessThan(215);
  });

  it('carries its sequence number, so a relayed copy can be matched with its original', () => {
    expect(seqOf(sampleRecord(123_456).value)).toBe(123_456);
    expect(seqOf({ ...sampleRecord(1).value, labels: {} })).toBeUndefined();
  });

  it('keys every record by its node id', () => {
    const { key, value } = sampleRecord(7);
    expect(key).toBe(value.node_id);
  });

  it('never repeats a (node, metric, event time): every record is a distinct sample, which enrichment keeps', () => {
    const seen = new Set(Array.from({ length: 10_000 }, (_, i) => {
      const { value } = sampleRecord(i);
      return `${value.node_id}|${value.metric}|${value.event_time}`;
    }));
    expect(seen.size).toBe(10_000);
  });
});
