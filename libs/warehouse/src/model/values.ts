import { type ColumnDefinition, type ColumnType, isMapType, mapValueType, type PrimitiveType } from './column';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const describe = (value: unknown): string => {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
};

export const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const FITS: { readonly [T in PrimitiveType]: (value: unknown) => boolean } = {
  string: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  int: (value) => Number.isInteger(value) && (value as number) >= INT32_MIN && (value as number) <= INT32_MAX,
  // avsc decodes longs as numbers and refuses those beyond ±2^53, which numbers cannot hold exactly. A bigint within
  // that range is accepted too; larger ones are refused here as well, because longs are staged as doubles.
  long: (value) =>
    typeof value === 'bigint' ? value >= MIN_SAFE && value <= MAX_SAFE : Number.isSafeInteger(value),
  float: (value) => typeof value === 'number',
  double: (value) => typeof value === 'number',
};

/** Returns why a non-null value does not fit, or undefined. */
export type TypeCheck = (value: unknown) => string | undefined;

/** The check for values of one column type, resolved once (a load checks millions of values against few types). */
export function typeCheck(type: ColumnType): TypeCheck {
  if (type === 'timestamp') {
    return (value) => (Number.isSafeInteger(value) ? undefined : `expected epoch milliseconds, got ${describe(value)}`);
  }
  if (isMapType(type)) {
    const values = mapValueType(type);
    const fits = FITS[values];
    return (value) => {
      if (!isPlainObject(value)) return `expected a map, got ${describe(value)}`;
      for (const key in value) {
        if (!fits(value[key])) return `map entry "${key}": expected ${values}, got ${describe(value[key])}`;
      }
      return undefined;
    };
  }
  const fits = FITS[type];
  return (value) => (fits(value) ? undefined : `expected ${type}, got ${describe(value)}`);
}

/** Why a (non-null) value cannot be stored in a column of this type, or undefined when it can. */
export const typeProblem = (type: ColumnType, value: unknown): string | undefined => typeCheck(type)(value);

const MISSING = 'missing, and the field has no default';

/** The check for one column's values, null and missing included; built once per column. */
export function valueCheck(column: ColumnDefinition): TypeCheck {
  const fits = typeCheck(column.type);
  const nullProblem = column.nullable ? undefined : 'null in a required column';
  return (value) => (value === undefined ? MISSING : value === null ? nullProblem : fits(value));
}

/** Why a value cannot be stored in the column (null included), or undefined when it can. */
export const valueProblem = (column: ColumnDefinition, value: unknown): string | undefined => valueCheck(column)(value);

/**
 * Reads a field column from a record value: the field itself, or the field's Avro default when the record was
 * written before the field existed (what Avro schema resolution gives a reader of the newer version). `undefined`
 * means missing with no default.
 */
export function fieldReader(column: ColumnDefinition): (value: object) => unknown {
  const name = column.name;
  const fallback = column.default?.value;
  return (value) => {
    const field = (value as Readonly<Record<string, unknown>>)[name];
    return field === undefined ? fallback : field;
  };
}

export const fieldValue = (column: ColumnDefinition, value: object): unknown => fieldReader(column)(value);

const jsonScalar = (value: unknown): string =>
  // Bigint longs are written as their digits. JSON has no NaN or Infinity, so a map<double> holding one reads back
  // as null.
  typeof value === 'bigint' ? value.toString() : JSON.stringify(value);

/**
 * A map as JSON text with its keys sorted: equal maps give equal text whatever order their entries arrived in, so the
 * warehouse can compare and group them (and the history writer can tell a changed version from a repeated one).
 */
export function canonicalJson(map: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(map).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${jsonScalar(map[key])}`).join(',')}}`;
}

/**
 * One text per value that is equal exactly when the stored values are equal, for a validated value and for the same
 * value read back (timestamps and longs as digits, maps as their stored canonical JSON, floats at 32-bit precision).
 */
export function comparableText(type: ColumnType, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (isMapType(type)) return typeof value === 'string' ? value : canonicalJson(value as Readonly<Record<string, unknown>>);
  if (type === 'float' && typeof value === 'number') return String(Math.fround(value));
  return String(value);
}
