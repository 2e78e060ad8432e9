import type { ColumnDefinition, ColumnType } from '../model/column';
import { thrown } from '../test-support/errors';
import { catalogType, catalogTypeOf, columnSql, defaultLiteral, quote, snowflakeType, stringLiteral } from './snowflake-types';

const column = (name: string, type: ColumnType, nullable = false): ColumnDefinition => ({ name, type, nullable, origin: 'field' });

describe('snowflakeType', () => {
  it.each([
    ['string', 'VARCHAR', 'TEXT'],
    ['boolean', 'BOOLEAN', 'BOOLEAN'],
    ['int', 'NUMBER(10,0)', 'NUMBER(10,0)'],
    ['long', 'NUMBER(19,0)', 'NUMBER(19,0)'],
    ['float', 'FLOAT', 'FLOAT'],
    ['double', 'FLOAT', 'FLOAT'],
    ['timestamp', 'TIMESTAMP_NTZ(3)', 'TIMESTAMP_NTZ'],
    ['map<string>', 'VARIANT', 'VARIANT'],
    ['map<long>', 'VARIANT', 'VARIANT'],
  ] as [ColumnType, string, string][])('maps %s to %s, which the catalog reports as %s', (type, sql, catalog) => {
    expect([snowflakeType(type), catalogType(type)]).toEqual([sql, catalog]);
  });

  it('spells catalog rows as catalogType does, precision and scale for NUMBER', () => {
    expect([catalogTypeOf('NUMBER', 19, 0), catalogTypeOf('NUMBER', null, null), catalogTypeOf('text', null, null)]).toEqual(['NUMBER(19,0)', 'NUMBER(38,0)', 'TEXT']);
  });
});

describe('identifiers and literals', () => {
  it('quotes names upper-cased, as Snowflake stores unquoted ones, so keywords work as column names', () => {
    expect([quote('partition'), quote('node_id'), quote('we"ird')]).toEqual(['"PARTITION"', '"NODE_ID"', '"WE""IRD"']);
  });

  it('escapes quotes and backslashes in string literals, which Snowflake reads as escapes', () => {
    expect(stringLiteral(`it's a \\ path`)).toBe(`'it''s a \\\\ path'`);
  });

  it.each([
    [column('tier', 'string'), 'standard', `'standard'`],
    [column('n', 'long'), 110, '110'],
    [column('on', 'boolean'), true, 'true'],
    [column('first_seen', 'timestamp'), 1_710_408_600_123, `'2024-03-14 09:30:00.123'`],
    [column('quota', 'map<long>'), { pods: 110, cpu: 4 }, `PARSE_JSON('{"cpu":4,"pods":110}')`],
  ] as const)('writes the Avro default of %o as %s', (c, value, literal) => {
    expect(defaultLiteral(c, value)).toBe(literal);
  });

  it('refuses a default that does not fit its column', () => {
    expect(thrown(() => defaultLiteral(column('n', 'int'), 'x')).code).toBe('WAREHOUSE_SCHEMA_UNSUPPORTED');
  });

  it('defines a column with its type and NOT NULL unless nullable', () => {
    expect([columnSql(column('event_time', 'timestamp')), columnSql(column('zone', 'string', true))]).toEqual(['"EVENT_TIME" TIMESTAMP_NTZ(3) NOT NULL', '"ZONE" VARCHAR']);
  });
});
