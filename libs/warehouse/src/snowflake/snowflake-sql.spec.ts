import { nodeMetricAggSchema } from '@meterline/schemas';
import type { ColumnDefinition } from '../model/column';
import type { SchemaChange } from '../model/evolution';
import { defineTable } from '../model/tables';
import { changeSql, createTableSql, offsetsShape } from './snowflake-catalog';
import { decodeSql, encodeRows, stagedRowsSql } from './staging';
import { appendSql, stagingOf, upsertSql } from './table-writers';

const squash = (sql: string) => sql.replace(/\s+/g, ' ').trim();
const field = (name: string, type: ColumnDefinition['type'], extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  type,
  nullable: true,
  origin: 'field',
  ...extra,
});

describe('Snowflake DDL', () => {
  it('creates the offsets table with its key', () => {
    expect(squash(createTableSql(offsetsShape))).toBe(
      'CREATE TABLE IF NOT EXISTS "LOAD_OFFSETS" ( "CONSUMER_GROUP" VARCHAR NOT NULL, "TOPIC" VARCHAR NOT NULL, "PARTITION" NUMBER(10,0) NOT NULL, "NEXT_OFFSET" NUMBER(19,0) NOT NULL, PRIMARY KEY ("CONSUMER_GROUP", "TOPIC", "PARTITION") )',
    );
  });

  it.each([
    [{ kind: 'add-column', column: field('node_pool', 'string') }, ['ALTER TABLE "T" ADD COLUMN "NODE_POOL" VARCHAR']],
    [{ kind: 'add-column', column: field('tier', 'string', { nullable: false, default: { value: 'std' } }) }, [`ALTER TABLE "T" ADD COLUMN "TIER" VARCHAR DEFAULT 'std'`]],
    [
      { kind: 'add-column', column: field('quota', 'map<long>', { nullable: false, default: { value: { pods: 1 } } }) },
      ['ALTER TABLE "T" ADD COLUMN "QUOTA" VARIANT', `UPDATE "T" SET "QUOTA" = PARSE_JSON('{"pods":1}')`],
    ],
    [{ kind: 'drop-not-null', column: field('zone', 'string') }, ['ALTER TABLE "T" ALTER COLUMN "ZONE" DROP NOT NULL']],
  ] as [SchemaChange, string[]][])('turns %o into %p', (change, statements) => {
    expect(changeSql('t', change)).toEqual(statements);
  });
});

describe('staging', () => {
  const columns = [
    field('s', 'string'),
    field('b', 'boolean'),
    field('n', 'long'),
    field('d', 'double'),
    field('t', 'timestamp'),
    field('m', 'map<string>'),
  ];
  const readers = columns.map((column, i) => ({ column, get: (row: readonly unknown[]) => row[i] }));

  it('encodes every value as text: strings behind a prefix, special doubles as Snowflake spells them, maps canonical', () => {
    const rows = encodeRows(
      readers,
      [
        ['', true, 2n ** 40n, Number.NaN, 1_710_408_600_123, { b: '2', a: '1' }],
        ['x"y', false, -3, Number.POSITIVE_INFINITY, 0, {}],
        [null, null, null, Number.NEGATIVE_INFINITY, null, null],
      ],
      () => new Error('no problem expected'),
    );
    expect(rows).toEqual([
      ['=', 'true', '1099511627776', 'NaN', '1710408600123', '{"a":"1","b":"2"}'],
      ['=x"y', 'false', '-3', 'inf', '0', '{}'],
      [null, null, null, '-inf', null, null],
    ]);
  });

  it('raises the problem handler on a value that does not fit, naming the column', () => {
    expect(() => encodeRows(readers, [['a', 'yes', 1, 1, 1, {}]], (_, column, problem) => new Error(`${column.name}: ${problem}`))).toThrow('b: expected boolean, got string "yes"');
  });

  it('decodes each staged text column to its type', () => {
    expect(columns.map((c) => decodeSql(c, 'x'))).toEqual([
      'SUBSTR(x, 2)',
      'CAST(x AS BOOLEAN)',
      'CAST(x AS NUMBER(19,0))',
      'CAST(x AS FLOAT)',
      'TO_TIMESTAMP_NTZ(CAST(x AS NUMBER(19,0)), 3)',
      'PARSE_JSON(x)',
    ]);
  });
});

describe('Snowflake writes', () => {
  const aggs = defineTable('agg_node_metric', nodeMetricAggSchema, { kind: 'upsert', key: ['node_id', 'metric', 'window_start'], keepHighest: 'revision' });
  const staging = stagingOf(aggs);

  it('appends from the decoded staging table', () => {
    expect(appendSql(aggs, staging)).toBe(`INSERT INTO "AGG_NODE_METRIC" (${aggs.columns.map((c) => `"${c.name.toUpperCase()}"`).join(', ')}) ${stagedRowsSql(staging)}`);
    expect(stagedRowsSql(staging)).toContain('SUBSTR("NODE_ID", 2) AS "NODE_ID"');
    expect(stagedRowsSql(staging)).toMatch(/FROM "METERLINE_STAGE_AGG_NODE_METRIC_ROWS"$/);
  });

  it('merges one source row per key (highest revision, then earliest record) and updates only on a strictly higher revision', () => {
    const sql = squash(upsertSql(aggs, staging));
    expect(sql).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY "NODE_ID", "METRIC", "WINDOW_START" ORDER BY "REVISION" DESC, "SOURCE_PARTITION", "SOURCE_OFFSET") = 1');
    expect(sql).toContain('ON t."NODE_ID" = s."NODE_ID" AND t."METRIC" = s."METRIC" AND t."WINDOW_START" = s."WINDOW_START"');
    expect(sql).toContain('WHEN MATCHED AND s."REVISION" > t."REVISION" THEN UPDATE SET "UNIT" = s."UNIT"');
    expect(sql).not.toMatch(/UPDATE SET[^W]*"NODE_ID" = s/);
    expect(sql).toMatch(/WHEN NOT MATCHED THEN INSERT \("NODE_ID", .*"SOURCE_OFFSET"\) VALUES \(s\."NODE_ID", .*s\."SOURCE_OFFSET"\)$/);
  });

  it('refuses to merge into a table without a key', () => {
    expect(() => upsertSql({ ...aggs, write: { kind: 'append' } }, staging)).toThrow('not an upsert table');
  });
});
