import { metadata, metadataRecord, METADATA_TOPIC, tombstone, WINDOW_START } from '../test-support/records';
import { rows } from '../test-support/sql';
import { type WarehouseFixture, warehouseFixture } from '../test-support/warehouse-fixture';
import type { TableRecords } from '../warehouse';

const MINUTE = 60_000;
const at = (minutes: number) => WINDOW_START + minutes * MINUTE;
const time = (minutes: number) => new Date(at(minutes)).toISOString().replace('T', ' ').replace('.000Z', '');

const history = (f: WarehouseFixture) =>
  rows(
    f.sql,
    `SELECT node_id, zone, labels, valid_from, valid_to, source_offset FROM dim_node ORDER BY node_id, valid_from`,
  );

describe('node metadata history (SCD2)', () => {
  let f: WarehouseFixture;
  let offset: number;
  const write = (records: TableRecords['dim_node'][]) => {
    offset += records.length;
    return f.warehouse.writeBatch(
      { table: 'dim_node', records },
      { group: 'dwh-loader', offsets: [{ topic: METADATA_TOPIC, partition: 0, nextOffset: String(offset) }] },
    );
  };
  const next = () => offset;

  beforeEach(async () => {
    f = await warehouseFixture();
    offset = 0;
  });
  afterEach(() => f.close());

  it('keeps one version per change of a node, each valid until the next began, the latest open', async () => {
    await write([metadataRecord(next(), metadata({ zone: 'a', updated_at: at(0) }))]);
    await write([
      metadataRecord(next(), metadata({ zone: 'b', updated_at: at(10) })),
      metadataRecord(next() + 1, metadata({ zone: 'c', updated_at: at(20) })),
    ]);

    expect(await history(f)).toEqual([
      { node_id: 'node-1', zone: 'a', labels: '{"kubernetes.io/os":"linux"}', valid_from: time(0), valid_to: time(10), source_offset: '0' },
      { node_id: 'node-1', zone: 'b', labels: '{"kubernetes.io/os":"linux"}', valid_from: time(10), valid_to: time(20), source_offset: '1' },
      { node_id: 'node-1', zone: 'c', labels: '{"kubernetes.io/os":"linux"}', valid_from: time(20), valid_to: null, source_offset: '2' },
    ]);
  });

  it('closes the current version at a tombstone, and opens a new one when the node comes back', async () => {
    await write([metadataRecord(next(), metadata({ zone: 'a', updated_at: at(0) })), metadataRecord(1, metadata({ node_id: 'node-2', updated_at: at(0) }))]);
    await write([tombstone(next(), 'node-1', at(30))]);
    await write([metadataRecord(next(), metadata({ zone: 'b', updated_at: at(45) }))]);

    expect((await history(f)).map((v) => [v['node_id'], v['zone'], v['valid_from'], v['valid_to']])).toEqual([
      ['node-1', 'a', time(0), time(30)],
      ['node-1', 'b', time(45), null],
      ['node-2', 'eu-west-1a', time(0), null],
    ]);
  });

  it('adds no version when metadata is re-sent unchanged (labels in another order) or out of date', async () => {
    await write([metadataRecord(next(), metadata({ labels: { a: '1', b: '2' }, updated_at: at(0) }))]);
    await write([
      metadataRecord(next(), metadata({ labels: { b: '2', a: '1' }, updated_at: at(5) })),
      metadataRecord(next() + 1, metadata({ zone: 'stale', updated_at: at(-5) })),
    ]);

    expect((await history(f)).map((v) => [v['zone'], v['valid_from'], v['valid_to']])).toEqual([['eu-west-1a', time(0), null]]);
  });

  it('keeps the latest metadata per node as the rows whose valid_to is null', async () => {
    await write([
      metadataRecord(next(), metadata({ node_id: 'node-1', zone: 'a', updated_at: at(0) })),
      metadataRecord(next() + 1, metadata({ node_id: 'node-2', zone: 'a', updated_at: at(0) })),
      metadataRecord(next() + 2, metadata({ node_id: 'node-1', zone: 'b', updated_at: at(1) })),
      tombstone(next() + 3, 'node-2', at(2)),
      metadataRecord(next() + 4, metadata({ node_id: 'node-3', instance_type: null, zone: 'c', updated_at: at(3) })),
    ]);
    expect(await rows(f.sql, 'SELECT node_id, instance_type, zone FROM dim_node WHERE valid_to IS NULL ORDER BY node_id')).toEqual([
      { node_id: 'node-1', instance_type: 'm5.xlarge', zone: 'b' },
      { node_id: 'node-3', instance_type: null, zone: 'c' },
    ]);
  });

  it('refuses a tombstone without a key as poison', async () => {
    const bad = { ...tombstone(0, 'node-1', at(0)), key: null };
    await expect(write([bad])).rejects.toMatchObject({ kind: 'poison', details: { column: 'node_id', offset: '0' } });
  });
});
