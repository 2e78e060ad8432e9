import type { ColumnDefinition } from './column';
import { canonicalJson, comparableText, fieldValue, typeProblem, valueProblem } from './values';

const column = (overrides: Partial<ColumnDefinition>): ColumnDefinition => ({
  name: 'c',
  type: 'string',
  nullable: false,
  origin: 'field',
  ...overrides,
});

describe('typeProblem', () => {
  it.each([
    ['string', 'x'],
    ['boolean', false],
    ['int', -(2 ** 31)],
    ['long', Number.MAX_SAFE_INTEGER],
    ['long', 2n ** 50n],
    ['double', Number.NaN],
    ['timestamp', Date.UTC(2024, 0, 1)],
    ['map<string>', { a: 'b' }],
    ['map<long>', { capacity: 3 }],
  ] as const)('accepts a %s value %p', (type, value) => {
    expect(typeProblem(type, value)).toBeUndefined();
  });

  it.each([
    ['string', 3, 'expected string, got number 3'],
    ['int', 2 ** 31, 'expected int, got number 2147483648'],
    ['int', 1.5, 'expected int, got number 1.5'],
    ['long', 2 ** 53, 'expected long, got number 9007199254740992'],
    ['long', 2n ** 60n, 'expected long, got bigint 1152921504606846976'],
    ['double', '1.5', 'expected double, got string "1.5"'],
    ['timestamp', '2024-01-01', 'expected epoch milliseconds, got string "2024-01-01"'],
    ['map<string>', ['a'], 'expected a map, got an array'],
    ['map<long>', { capacity: 'none' }, 'map entry "capacity": expected long, got string "none"'],
  ] as const)('refuses a %s value %p, saying why', (type, value, why) => {
    expect(typeProblem(type, value)).toBe(why);
  });
});

describe('valueProblem', () => {
  it('accepts null only in a nullable column', () => {
    expect(valueProblem(column({ nullable: true }), null)).toBeUndefined();
    expect(valueProblem(column({}), null)).toBe('null in a required column');
  });

  it('calls a field without value or default missing', () => {
    expect(valueProblem(column({}), fieldValue(column({}), {}))).toBe('missing, and the field has no default');
  });
});

describe('fieldValue', () => {
  it('reads the field, or its Avro default when the record predates it', () => {
    const pool = column({ name: 'node_pool', nullable: true, default: { value: null } });
    const tier = column({ name: 'tier', default: { value: 'standard' } });
    expect([fieldValue(pool, { node_pool: 'gpu' }), fieldValue(pool, {}), fieldValue(tier, {})]).toEqual(['gpu', null, 'standard']);
  });
});

describe('canonicalJson', () => {
  it('gives equal maps equal text whatever the entry order', () => {
    expect(canonicalJson({ job: 'node', cluster: 'prod' })).toBe('{"cluster":"prod","job":"node"}');
    expect(canonicalJson({ cluster: 'prod', job: 'node' })).toBe(canonicalJson({ job: 'node', cluster: 'prod' }));
  });

  it('writes bigint longs as JSON numbers', () => {
    expect(JSON.parse(canonicalJson({ n: 2n ** 40n }))).toEqual({ n: 2 ** 40 });
  });
});

describe('comparableText', () => {
  it('gives a value and its read-back form the same text', () => {
    expect(comparableText('long', 7)).toBe(comparableText('long', 7n));
    expect(comparableText('timestamp', 1_710_408_600_000)).toBe(comparableText('timestamp', 1_710_408_600_000n));
    expect(comparableText('map<string>', { b: '2', a: '1' })).toBe(comparableText('map<string>', '{"a":"1","b":"2"}'));
    expect(comparableText('float', 0.1)).toBe(comparableText('float', Math.fround(0.1)));
    expect(comparableText('string', null)).toBeNull();
  });
});
