import type { PartitionBatch } from '@meterline/kafka';
import { nodeMetricEnrichedSchema } from '@meterline/schemas';
import { poisonError } from '@meterline/stream';
import type { PoisonRecord } from '@meterline/warehouse';
import { evolvedSchema, splitPoison, toLoadItems, type ConsumedMessage, type LoadRecord } from './pipeline';

const message = (offset: number, value: string | null, key: string | null = 'node-1'): ConsumedMessage => ({
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  timestamp: '1700000000000',
  attributes: 0,
  headers: { trace: 'abc' },
});

const batchOf = (...messages: ConsumedMessage[]): PartitionBatch => ({
  topic: 'metadata.node.v1',
  partition: 3,
  messages,
  nextOffset: '99',
  highWatermark: '99',
});

const badAvro = poisonError('DECODE_BAD_MAGIC', 'magic byte is 7');

describe('to-load-items', () => {
  it('turns decoded messages into records and undecodable ones into dead letters with their bytes, in offset order', () => {
    const batch = batchOf(message(10, 'a'), message(11, 'xx'), message(12, null));
    const items = toLoadItems({
      batch,
      keys: [
        { ok: true, value: 'node-1' },
        { ok: true, value: 'node-1' },
        { ok: true, value: 'node-2' },
      ],
      values: [{ ok: true, value: { node_id: 'node-1' } }, { ok: false, error: badAvro }, null],
      tombstones: true,
      dlqTopic: 'metadata.node.v1.dlq',
    });

    expect(items.map((i) => [i.kind, i.offset, i.bytes])).toEqual([
      ['record', '10', 7],
      ['letter', '11', 8],
      ['record', '12', 6],
    ]);
    const [first, second, third] = items;
    expect(first?.kind === 'record' && first.record).toMatchObject({ topic: 'metadata.node.v1', partition: 3, offset: '10', key: 'node-1', value: { node_id: 'node-1' }, timestamp: 1_700_000_000_000 });
    expect(second?.kind === 'letter' && second.letter).toMatchObject({
      topic: 'metadata.node.v1.dlq',
      value: Buffer.from('xx'),
      step: 'decode',
      error: { code: 'DECODE_BAD_MAGIC' },
      source: { topic: 'metadata.node.v1', partition: '3', offset: '11', timestamp: '1700000000000' },
      headers: { trace: 'abc' },
    });
    // A tombstone on a compacted topic is a record with a null value: it closes the node's history.
    expect(third?.kind === 'record' && [third.record.key, third.record.value]).toEqual(['node-2', null]);
  });

  it('dead-letters a null value on a topic without tombstones, and a key that does not decode', () => {
    const items = toLoadItems({
      batch: batchOf(message(0, null), message(1, 'v')),
      keys: [{ ok: true, value: 'k' }, { ok: false, error: badAvro }],
      values: [null, { ok: true, value: {} }],
      tombstones: false,
      dlqTopic: 'dlq',
    });
    expect(items.map((i) => (i.kind === 'letter' ? i.letter.error.code : 'record'))).toEqual(['NULL_VALUE', 'DECODE_BAD_MAGIC']);
  });
});

describe('split-poison', () => {
  it('keeps what the warehouse can write in order and dead-letters the rest with the warehouse reason', () => {
    const record = (offset: number): LoadRecord => ({ topic: 't', partition: 0, offset: String(offset), key: null, value: {}, timestamp: 0, message: message(offset, 'v') });
    const records = [record(0), record(1), record(2)];
    const error = poisonError('WAREHOUSE_ROW_CONVERSION', 'dim_node.node_id: a tombstone without a key');

    const { good, letters } = splitPoison(records, [{ record: records[1] as unknown as PoisonRecord['record'], error }], (t) => `${t}.dlq`);

    expect(good.map((r) => r.offset)).toEqual(['0', '2']);
    expect(letters).toMatchObject([{ topic: 't.dlq', step: 'warehouse', error: { code: 'WAREHOUSE_ROW_CONVERSION' }, source: { offset: '1' } }]);
  });
});

describe('evolved-schema', () => {
  it('is the next version of the table schema, named as the registered schema names itself', () => {
    const schema = { type: 'record', name: 'NodeMetricEnriched', namespace: 'io.meterline', fields: [] };
    expect(evolvedSchema(nodeMetricEnrichedSchema, schema)).toEqual({
      family: 'node-metric-enriched',
      name: 'io.meterline.NodeMetricEnriched',
      version: nodeMetricEnrichedSchema.version + 1,
      schema,
    });
  });
});
