import { type AvroJson, nodeMetricAggSchemaV1, nodeMetricEnrichedSchemaV1 } from '@meterline/schemas';
import { thrown } from '../test-support/errors';
import { columnsFromAvro } from './avro-columns';

const record = (...fields: AvroJson[]) => ({ type: 'record', name: 'T', fields });

describe('columnsFromAvro', () => {
  it('gives the enriched schema one column per field, typed, in field order', () => {
    // Read off libs/schemas/avro/node-metric-enriched/v1.avsc by hand.
    expect(columnsFromAvro(nodeMetricEnrichedSchemaV1).map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['node_id', 'string', false],
      ['metric', 'string', false],
      ['value', 'double', false],
      ['capacity', 'double', true],
      ['unit', 'string', false],
      ['event_time', 'timestamp', false],
      ['source', 'string', false],
      ['labels', 'map<string>', false],
      ['metadata_status', 'string', false],
      ['instance_type', 'string', true],
      ['zone', 'string', true],
      ['node_labels', 'map<string>', false],
      ['metadata_updated_at', 'timestamp', true],
      ['utilisation', 'double', true],
    ]);
  });

  it('maps int, long and map<long> fields of the aggregate schema to their own types', () => {
    const types = Object.fromEntries(columnsFromAvro(nodeMetricAggSchemaV1).map((c) => [c.name, c.type]));
    expect(types).toMatchObject({ revision: 'int', count: 'long', missing_fields: 'map<long>', window_start: 'timestamp' });
  });

  it('keeps each field default, null ones included, and marks fields without one', () => {
    const columns = columnsFromAvro(
      record(
        { name: 'a', type: ['null', 'string'], default: null },
        { name: 'b', type: { type: 'map', values: 'long' }, default: {} },
        { name: 'c', type: 'boolean' },
      ),
    );
    expect(columns.map((c) => c.default)).toEqual([{ value: null }, { value: {} }, undefined]);
  });

  it('reads a nullable union in either order and the object form of primitives', () => {
    const columns = columnsFromAvro(record({ name: 'a', type: [{ type: 'float' }, 'null'] }, { name: 'b', type: { type: 'string', logicalType: 'uuid' } }));
    expect(columns.map((c) => [c.type, c.nullable])).toEqual([
      ['float', true],
      ['string', false],
    ]);
  });

  it.each([
    ['a union of two non-null types', ['null', 'string', 'long']],
    ['a nested record', { type: 'record', name: 'R', fields: [] }],
    ['an array', { type: 'array', items: 'string' }],
    ['bytes', 'bytes'],
    ['a map of records', { type: 'map', values: { type: 'record', name: 'R', fields: [] } }],
    ['timestamp-micros, whose numbers mean something else', { type: 'long', logicalType: 'timestamp-micros' }],
  ] as [string, AvroJson][])('refuses %s as a fatal error naming the field', (_, type) => {
    const error = thrown(() => columnsFromAvro(record({ name: 'odd', type })));
    expect([error.kind, error.code, error.details['field']]).toEqual(['fatal', 'WAREHOUSE_SCHEMA_UNSUPPORTED', 'odd']);
    expect(error.message).toContain('"odd"');
  });

  it('refuses a schema that is not a record', () => {
    expect(() => columnsFromAvro('string')).toThrow(/record schema/);
  });
});
