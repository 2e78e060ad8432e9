import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Fakesnow } from '@meterline/fakesnow';
import { warehouseModel } from '../model/tables';
import { rejection } from '../test-support/errors';
import { ENRICHED_TOPIC, enriched, factRecord } from '../test-support/records';
import { enrichedV2, enrichedValueAsString, enrichedWithDefaults, enrichedWithoutUnit, metadataV2 } from '../test-support/schema-versions';
import { tempDirectory } from '../test-support/temp-database';
import { classifySnowflakeError } from './snowflake-errors';
import { openSnowflakeWarehouse } from './snowflake-warehouse';
import { BEFORE_ALL_TIMEOUT, fakeOptions, type SnowflakeFixture, snowflakeFixture, sqlSession, startFake, uniqueSchema } from './test-support/fakesnow-fixture';

// Tables, schema evolution and connecting, through the real snowflake-sdk against fakesnow (a fake Snowflake).

const commitTo = (next: number) => ({ group: 'dwh-loader', offsets: [{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: String(next) }] });

const catalogSql = (table?: string) =>
  `SELECT lower(table_name) AS table_name, lower(column_name) AS column_name, data_type, numeric_precision, is_nullable
     FROM information_schema.columns WHERE table_schema = CURRENT_SCHEMA()${table === undefined ? '' : ` AND table_name = '${table}'`}
    ORDER BY table_name, ordinal_position`;

describe('Snowflake tables and evolution (against fakesnow, a fake Snowflake)', () => {
  let fake: Fakesnow;
  let f: SnowflakeFixture;

  beforeAll(async () => {
    fake = await startFake();
  }, BEFORE_ALL_TIMEOUT);
  afterAll(() => fake.stop());
  beforeEach(async () => {
    f = await snowflakeFixture(fake);
  });
  afterEach(() => f.close());

  it('creates the tables with the Snowflake types of the Avro-derived columns, and a second ensureTables changes nothing', async () => {
    const column = (name: string) => ({ table_name: 'fact_node_metric', column_name: name });
    const facts = await f.sql.rows(catalogSql('FACT_NODE_METRIC'));
    // Read off node-metric-enriched v1 and the lineage columns by hand.
    expect(facts.filter((c) => ['node_id', 'value', 'capacity', 'event_time', 'labels', 'source_partition', 'source_offset'].includes(String(c['column_name'])))).toEqual([
      { ...column('node_id'), data_type: 'TEXT', numeric_precision: null, is_nullable: 'NO' },
      { ...column('value'), data_type: 'FLOAT', numeric_precision: null, is_nullable: 'NO' },
      { ...column('capacity'), data_type: 'FLOAT', numeric_precision: null, is_nullable: 'YES' },
      { ...column('event_time'), data_type: 'TIMESTAMP_NTZ', numeric_precision: null, is_nullable: 'NO' },
      { ...column('labels'), data_type: 'VARIANT', numeric_precision: null, is_nullable: 'NO' },
      { ...column('source_partition'), data_type: 'NUMBER', numeric_precision: 10, is_nullable: 'NO' },
      { ...column('source_offset'), data_type: 'NUMBER', numeric_precision: 19, is_nullable: 'NO' },
    ]);
    expect(facts).toHaveLength(17);
    const before = await f.sql.rows(catalogSql());
    expect(new Set(before.map((c) => c['table_name']))).toEqual(new Set(['agg_node_metric', 'dim_node', 'fact_node_metric', 'load_offsets']));
    await f.warehouse.ensureTables();
    expect(await f.sql.rows(catalogSql())).toEqual(before);
  });

  it('adds a new optional field as a nullable column while loading goes on; older rows read null there', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0), factRecord(1)] }, commitTo(2));
    const changes = await f.warehouse.evolve('fact_node_metric', enrichedV2);
    // Written by a v2 producer, then one by a producer still on v1 (no node_pool at all).
    const v2 = factRecord(2, { ...enriched(), node_pool: 'gpu-pool' } as ReturnType<typeof enriched>);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [v2, factRecord(3)] }, commitTo(4));

    expect(changes.map((c) => [c.kind, c.column.name])).toEqual([['add-column', 'node_pool']]);
    expect((await f.sql.rows(catalogSql('FACT_NODE_METRIC'))).at(-1)).toMatchObject({ column_name: 'node_pool', data_type: 'TEXT', is_nullable: 'YES' });
    expect(await f.sql.rows('SELECT source_offset, node_pool FROM fact_node_metric ORDER BY source_offset')).toEqual([
      { source_offset: 0, node_pool: null },
      { source_offset: 1, node_pool: null },
      { source_offset: 2, node_pool: 'gpu-pool' },
      { source_offset: 3, node_pool: null },
    ]);
  });

  it('fills a new field with its default for the rows loaded before it, as an Avro reader of the new version would', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0)] }, commitTo(1));
    await f.warehouse.evolve('fact_node_metric', enrichedWithDefaults);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(1)] }, commitTo(2));
    expect(await f.sql.rows('SELECT source_offset, tier, quota, first_seen FROM fact_node_metric ORDER BY 1')).toEqual([
      { source_offset: 0, tier: 'standard', quota: '{"pods":110}', first_seen: 0 },
      { source_offset: 1, tier: 'standard', quota: '{"pods":110}', first_seen: 0 },
    ]);
  });

  it.each([
    ['a changed type', enrichedValueAsString, 'value', 'the table has FLOAT, the schema needs TEXT'],
    ['a removed required field', enrichedWithoutUnit, 'unit', 'required in the table, but the schema no longer has this field'],
  ])('refuses %s with a fatal error naming the column, and changes nothing', async (_, schema, column, why) => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0)] }, commitTo(1));
    const before = await f.sql.rows(catalogSql());

    const error = await rejection(f.warehouse.evolve('fact_node_metric', schema));

    expect([error.kind, error.code, error.details['table'], error.details['columns']]).toEqual(['fatal', 'WAREHOUSE_SCHEMA_INCOMPATIBLE', 'fact_node_metric', column]);
    expect(error.message).toContain(`column "${column}": ${why}`);
    expect(await f.sql.rows(catalogSql())).toEqual(before);
    // The stream goes on with the schema it had.
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(1)] }, commitTo(2));
    expect(await f.sql.scalar('SELECT count(*) FROM fact_node_metric')).toBe(2);
  });

  it('on a restart with newer schemas, refuses an incompatible one before changing any table, and adds the columns of a compatible one', async () => {
    const options = fakeOptions(fake, f.schema);
    const broken = await openSnowflakeWarehouse({ ...options, model: warehouseModel({ fact_node_metric: enrichedValueAsString, dim_node: metadataV2 }) });
    await expect(broken.ensureTables()).rejects.toMatchObject({ kind: 'fatal', details: { columns: 'value' } });
    await broken.close();
    expect(await f.sql.rows(catalogSql('DIM_NODE'))).not.toContainEqual(expect.objectContaining({ column_name: 'node_pool' }));

    const v2 = await openSnowflakeWarehouse({ ...options, model: warehouseModel({ fact_node_metric: enrichedV2 }) });
    await v2.ensureTables();
    await v2.close();
    expect((await f.sql.rows(catalogSql('FACT_NODE_METRIC'))).at(-1)).toMatchObject({ column_name: 'node_pool' });
  });
});

describe('connecting to Snowflake (against fakesnow, a fake Snowflake)', () => {
  let fake: Fakesnow;
  const dir = tempDirectory();
  // An encrypted PKCS#8 key, as `openssl genrsa | openssl pkcs8 -topk8 -v2 aes256` makes for Snowflake key-pair auth.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const keyFile = dir.path('rsa_key.p8');
  writeFileSync(keyFile, privateKey);

  beforeAll(async () => {
    fake = await startFake();
  }, BEFORE_ALL_TIMEOUT);
  afterAll(async () => {
    await fake.stop();
    dir.remove();
  });

  // The fake accepts any credentials: these prove that the SDK takes the options and signs its login token with the
  // key (decrypting it with the passphrase), not that Snowflake would accept them.
  it.each([
    ['a PEM text', { privateKey, passphrase: 'correct horse' }],
    ['a key file', { privateKeyPath: keyFile, passphrase: 'correct horse' }],
  ])('logs in with key-pair auth from %s and its passphrase', async (_, auth) => {
    const schema = uniqueSchema();
    const warehouse = await openSnowflakeWarehouse(fakeOptions(fake, schema, { auth, role: 'LOADER', warehouse: 'LOAD_WH' }));
    await warehouse.ensureTables();
    expect(await warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([]);
    await warehouse.close();
    const sql = await sqlSession(fake, schema);
    expect(await sql.scalar(`SELECT count(*) FROM information_schema.tables WHERE table_schema = '${schema}'`)).toBe(4);
    await sql.close();
  });

  it('refuses a key it cannot decrypt as a fatal error, before any statement', async () => {
    const error = await rejection(openSnowflakeWarehouse(fakeOptions(fake, uniqueSchema(), { auth: { privateKey, passphrase: 'wrong' } })));
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_FAILED']);
    expect(error.message).toMatch(/^connecting to Snowflake account fakesnow as dwh_loader: /);
  });

  it('classifies what Snowflake refuses: a missing table is fatal, a value it cannot convert poison', async () => {
    const sql = await sqlSession(fake, uniqueSchema());
    try {
      const missing = classifySnowflakeError(await sql.rows('SELECT * FROM nowhere').catch((err: unknown) => err), 'reading');
      const cast = classifySnowflakeError(await sql.rows(`SELECT CAST('high' AS NUMBER(10,0)) AS n`).catch((err: unknown) => err), 'reading');
      expect([missing.kind, missing.code, missing.details['sqlState']]).toEqual(['fatal', 'WAREHOUSE_FAILED', '42S02']);
      expect([cast.kind, cast.code, String(cast.details['sqlState']).slice(0, 2)]).toEqual(['poison', 'WAREHOUSE_ROW_CONVERSION', '22']);
    } finally {
      await sql.close();
    }
  });

  it('refuses every call once closed', async () => {
    const warehouse = await openSnowflakeWarehouse(fakeOptions(fake, uniqueSchema()));
    await warehouse.close();
    const error = await rejection(warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC));
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_CLOSED']);
  });
});
