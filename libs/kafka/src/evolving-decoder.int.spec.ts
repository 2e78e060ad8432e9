import { stackEndpoints, uniqueName } from '@meterline/testing';
import { AvroSerde } from './avro-serde';
import { EvolvingDecoder } from './evolving-decoder';
import { SchemaRegistryClient, type AvroSchema } from './schema-registry';
import { frame } from './wire-format';

const { schemaRegistryUrl } = stackEndpoints();
const registry = new SchemaRegistryClient({ url: schemaRegistryUrl });

const field = (name: string, type: unknown, extra: object = {}) => ({ name, type, ...extra });
const sample = (...extra: object[]) =>
  ({
    type: 'record',
    name: 'Sample',
    namespace: 'io.meterline.test',
    fields: [field('node_id', 'string'), field('at', { type: 'long', logicalType: 'timestamp-millis' }), ...extra],
  }) as unknown as AvroSchema;

const v1 = sample();
const v2 = sample(field('pool', ['null', 'string'], { default: null, doc: 'node pool' }));
const v3 = sample(field('pool', ['null', 'string'], { default: null }), field('tier', 'string', { default: 'standard' }));

async function writer<T>(subject: string, schema: AvroSchema): Promise<AvroSerde<T>> {
  const serde = new AvroSerde<T>(registry, subject, schema);
  await serde.prepare();
  return serde;
}

const valuesOf = (decoded: { ok: boolean; value?: unknown }[]) => decoded.map((d) => (d.ok ? d.value : 'poison'));

describe('EvolvingDecoder', () => {
  it('moves its reader to a newer registered version when a record of it arrives, and reads older records with its defaults', async () => {
    const subject = `${uniqueName('it.evolve')}-value`;
    const decoder = new EvolvingDecoder(registry, subject, v1);
    expect(await decoder.prepare()).toEqual([]);
    const w1 = await writer<object>(subject, v1);

    const first = await decoder.decodeAll([w1.encode({ node_id: 'a', at: 1 })]);
    expect(first.upgrades).toEqual([]);
    expect(valuesOf(first.values)).toEqual([{ node_id: 'a', at: 1 }]);

    const w2 = await writer<object>(subject, v2);
    const w3 = await writer<object>(subject, v3);
    const mixed = await decoder.decodeAll([
      w1.encode({ node_id: 'b', at: 2 }),
      w3.encode({ node_id: 'c', at: 3, pool: 'gpu', tier: 'spot' }),
      w2.encode({ node_id: 'd', at: 4, pool: 'cpu' }),
    ]);

    // Both newer versions, in version order; the schemas as registered, docs and logical types included.
    expect(mixed.upgrades.map((u) => [u.version, u.schemaId])).toEqual([
      [2, await w2.prepare()],
      [3, await w3.prepare()],
    ]);
    expect(mixed.upgrades[0]?.schema).toEqual(v2);
    expect(decoder.schema).toEqual(v3);
    expect(valuesOf(mixed.values)).toEqual([
      { node_id: 'b', at: 2, pool: null, tier: 'standard' },
      { node_id: 'c', at: 3, pool: 'gpu', tier: 'spot' },
      { node_id: 'd', at: 4, pool: 'cpu', tier: 'standard' },
    ]);

    // An older version arriving later is read through the newest reader; no upgrade.
    const later = await decoder.decodeAll([w2.encode({ node_id: 'e', at: 5, pool: null })]);
    expect(later.upgrades).toEqual([]);
    expect(valuesOf(later.values)).toEqual([{ node_id: 'e', at: 5, pool: null, tier: 'standard' }]);
  });

  it('starts with the newest registered version when the subject has moved on before it starts', async () => {
    const subject = `${uniqueName('it.evolve')}-value`;
    await writer<object>(subject, v1);
    const w2 = await writer<object>(subject, v2);
    const decoder = new EvolvingDecoder(registry, subject, v1);

    const upgrades = await decoder.prepare();

    expect(upgrades.map((u) => [u.version, u.schemaId])).toEqual([[2, await w2.prepare()]]);
    const w1 = await writer<object>(subject, v1);
    expect(valuesOf((await decoder.decodeAll([w1.encode({ node_id: 'a', at: 1 })])).values)).toEqual([{ node_id: 'a', at: 1, pool: null }]);
  });

  it('reports records it can never read as poison, one by one', async () => {
    const subject = `${uniqueName('it.evolve')}-value`;
    const decoder = new EvolvingDecoder(registry, subject, v1);
    await decoder.prepare();
    const w1 = await writer<object>(subject, v1);
    const good = w1.encode({ node_id: 'a', at: 1 });

    const { values } = await decoder.decodeAll([Buffer.from('not avro'), frame(2_000_000_000, Buffer.alloc(3)), good, good.subarray(0, 7)]);

    expect(values.map((v) => (v.ok ? 'ok' : v.error.code))).toEqual(['DECODE_BAD_MAGIC', 'DECODE_UNKNOWN_SCHEMA', 'ok', 'DECODE_TRUNCATED']);
  });

  it('stops with a fatal error when a newer version cannot read the data of the current one', async () => {
    const subject = `${uniqueName('it.evolve')}-value`;
    const decoder = new EvolvingDecoder(registry, subject, v1);
    await decoder.prepare();
    // Only possible with the registry's compatibility check off for the subject.
    const config = await fetch(`${schemaRegistryUrl}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: 'NONE' }),
    });
    expect(config.ok).toBe(true);
    const incompatible = await writer<object>(subject, sample(field('tier', 'string')));

    await expect(decoder.decodeAll([incompatible.encode({ node_id: 'a', at: 1, tier: 'spot' })])).rejects.toMatchObject({
      kind: 'fatal',
      code: 'SCHEMA_UPGRADE_INCOMPATIBLE',
    });
  });
});
