import avro from 'avsc';
import { nodeIdSchema, nodeMetadataSchema, nodeMetricRawSchema } from './generated';
import { cpuSample, nodeMetadata } from './test-support/records';
import type { VersionedSchema } from './versioned-schema';

// The codec in libs/kafka uses avsc with its defaults, as here: no logical-type classes, unions unwrapped.
const avroType = <T>(schema: VersionedSchema<T>) => avro.Type.forSchema(schema.schema as avro.Schema);

const roundTrip = <T>(schema: VersionedSchema<T>, value: T): unknown => {
  const type = avroType(schema);
  return type.fromBuffer(type.toBuffer(value));
};

describe('Avro round trip', () => {
  it.each([
    ['a sample with capacity and labels', cpuSample()],
    [
      'a sample whose source knows no capacity, unit or labels',
      cpuSample({ metric: 'memory_usage', value: 6_442_450_944, capacity: null, unit: '', source: 'scrape', labels: {} }),
    ],
    ['a replayed sample from years ago', cpuSample({ event_time: Date.UTC(2019, 0, 1), source: 'replay' })],
  ])('decodes %s to what was encoded', (_case, sample) => {
    expect(roundTrip(nodeMetricRawSchema, sample)).toEqual(sample);
  });

  it.each([
    ['a fully known node', nodeMetadata()],
    ['a node of unknown instance type and zone', nodeMetadata({ instance_type: null, zone: null, labels: {} })],
  ])('decodes the metadata of %s to what was encoded', (_case, metadata) => {
    expect(roundTrip(nodeMetadataSchema, metadata)).toEqual(metadata);
  });

  it('encodes the key as a plain Avro string', () => {
    const key = 'ip-10-0-12-34.eu-west-1.compute.internal';
    expect(roundTrip(nodeIdSchema, key)).toBe(key);
    // An Avro string is its zig-zag varint length followed by the UTF-8 bytes.
    expect(avroType(nodeIdSchema).toBuffer('n1')).toEqual(Buffer.from([0x04, 0x6e, 0x31]));
  });

  it('decodes a timestamp-millis event time as the epoch-millisecond number the generated type declares', () => {
    const decoded = roundTrip(nodeMetricRawSchema, cpuSample({ event_time: 1_710_408_600_000 }));
    expect(decoded).toMatchObject({ event_time: 1_710_408_600_000 });
  });

  it('accepts exactly the fields the generated type declares', () => {
    const type = avroType(nodeMetricRawSchema);
    const { event_time: _missing, ...withoutEventTime } = cpuSample();
    expect(type.isValid(cpuSample(), { noUndeclaredFields: true })).toBe(true);
    expect(type.isValid(withoutEventTime)).toBe(false);
    expect(type.isValid({ ...cpuSample(), pod: 'web-1' }, { noUndeclaredFields: true })).toBe(false);
  });
});
