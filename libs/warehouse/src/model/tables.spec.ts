import { nodeMetadataTopic, nodeMetricAggTopic, nodeMetricEnrichedTopic, type VersionedSchema } from '@meterline/schemas';
import { columnsFromAvro } from './avro-columns';
import { defineTable, warehouseModel } from './tables';

const fieldNames = (schema: VersionedSchema<unknown>) => columnsFromAvro(schema.schema).map((c) => c.name);

describe('warehouseModel', () => {
  const model = warehouseModel();

  it('derives each table from the value schema of the topic it loads, so catalog, schemas and columns agree', () => {
    const sources = [
      [model.fact_node_metric, nodeMetricEnrichedTopic],
      [model.agg_node_metric, nodeMetricAggTopic],
      [model.dim_node, nodeMetadataTopic],
    ] as const;
    for (const [table, topic] of sources) {
      expect(table.schema).toBe(topic.value);
      expect(table.columns.filter((c) => c.origin === 'field').map((c) => c.name)).toEqual(fieldNames(topic.value));
    }
  });

  it('gives every loaded row its lineage: topic, partition and offset', () => {
    for (const table of Object.values(model)) {
      expect(table.columns.filter((c) => c.origin === 'lineage').map((c) => [c.name, c.type])).toEqual([
        ['source_topic', 'string'],
        ['source_partition', 'int'],
        ['source_offset', 'long'],
      ]);
    }
  });

  it('keys aggregates by node, metric and window, and node history by node and validity start', () => {
    expect(model.agg_node_metric.primaryKey).toEqual(['node_id', 'metric', 'window_start']);
    expect(model.agg_node_metric.write).toEqual({ kind: 'upsert', key: ['node_id', 'metric', 'window_start'], keepHighest: 'revision' });
    expect(model.dim_node.primaryKey).toEqual(['node_id', 'valid_from']);
    expect(model.dim_node.columns.filter((c) => c.origin === 'warehouse').map((c) => [c.name, c.nullable])).toEqual([
      ['valid_from', false],
      ['valid_to', true],
    ]);
    expect(model.fact_node_metric.write).toEqual({ kind: 'append' });
  });

  it('refuses an upsert whose revision column may be null, naming it', () => {
    const schema: VersionedSchema<unknown> = {
      family: 'x',
      name: 'io.meterline.X',
      version: 1,
      schema: { type: 'record', name: 'X', fields: [{ name: 'id', type: 'string' }, { name: 'rev', type: ['null', 'int'], default: null }] },
    };
    expect(() => defineTable('agg_node_metric', schema, { kind: 'upsert', key: ['id'], keepHighest: 'rev' })).toThrow(/"rev"/);
  });
});
