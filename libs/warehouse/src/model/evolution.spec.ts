import { thrown } from '../test-support/errors';
import type { ColumnDefinition, ColumnType } from './column';
import { type ExistingColumn, planEvolution } from './evolution';

// A stand-in backend mapping: the plan compares type names, whatever the backend calls them.
const sqlType = (type: ColumnType) => (type === 'string' ? 'VARCHAR' : type.toUpperCase());

const field = (name: string, type: ColumnType, nullable = false, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  type,
  nullable,
  origin: 'field',
  ...extra,
});
const existing = (name: string, sqlType: string, nullable = false): ExistingColumn => ({ name, sqlType, nullable });

const table = [existing('node_id', 'VARCHAR'), existing('value', 'DOUBLE'), existing('zone', 'VARCHAR', true)];
const v1 = [field('node_id', 'string'), field('value', 'double'), field('zone', 'string', true)];

describe('planEvolution', () => {
  it('changes nothing when the table already has the schema', () => {
    expect(planEvolution('t', v1, table, sqlType)).toEqual([]);
  });

  it('adds a new optional field as a column, and a new required field with a default too', () => {
    const pool = field('node_pool', 'string', true, { default: { value: null } });
    const tier = field('tier', 'string', false, { default: { value: 'standard' } });
    expect(planEvolution('t', [...v1, pool, tier], table, sqlType)).toEqual([
      { kind: 'add-column', column: pool },
      { kind: 'add-column', column: tier },
    ]);
  });

  it('drops NOT NULL when a field becomes optional', () => {
    const optionalValue = field('value', 'double', true);
    expect(planEvolution('t', [v1[0] as ColumnDefinition, optionalValue, v1[2] as ColumnDefinition], table, sqlType)).toEqual([
      { kind: 'drop-not-null', column: optionalValue },
    ]);
  });

  it('keeps a nullable column whose field was removed: new rows get null there', () => {
    expect(planEvolution('t', v1.slice(0, 2), table, sqlType)).toEqual([]);
  });

  it('refuses a changed type, naming the column and both types', () => {
    const error = thrown(() => planEvolution('t', [field('node_id', 'string'), field('value', 'long'), v1[2] as ColumnDefinition], table, sqlType));
    expect([error.kind, error.code, error.details['columns']]).toEqual(['fatal', 'WAREHOUSE_SCHEMA_INCOMPATIBLE', 'value']);
    expect(error.message).toContain('column "value": the table has DOUBLE, the schema needs LONG');
  });

  it('refuses a removed required field, since new rows could not satisfy its NOT NULL', () => {
    const error = thrown(() => planEvolution('t', [v1[0] as ColumnDefinition, v1[2] as ColumnDefinition], table, sqlType));
    expect(error.details['columns']).toBe('value');
    expect(error.message).toContain('column "value": required in the table');
  });

  it('refuses a new required field without a default: rows already loaded have no value for it', () => {
    const error = thrown(() => planEvolution('t', [...v1, field('tier', 'string')], table, sqlType));
    expect(error.details['columns']).toBe('tier');
  });

  it('names every incompatible column at once', () => {
    const error = thrown(() => planEvolution('t', [field('node_id', 'long'), field('tier', 'int')], table, sqlType));
    expect(error.details['columns']).toBe('node_id,tier,value');
  });
});
