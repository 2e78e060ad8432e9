import type { AvroJson, AvroSchema } from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import type { ColumnDefinition, ColumnType, PrimitiveType } from './column';

const PRIMITIVES: ReadonlySet<string> = new Set<PrimitiveType>(['string', 'boolean', 'int', 'long', 'float', 'double']);

/** Logical types that only annotate their underlying type: the column keeps that type. */
const TRANSPARENT_LOGICAL_TYPES: ReadonlySet<string> = new Set(['uuid']);

const isObject = (json: AvroJson | AvroSchema | undefined): json is { readonly [key: string]: AvroJson } =>
  typeof json === 'object' && json !== null && !Array.isArray(json);

const unsupported = (field: string, why: string) =>
  fatalError('WAREHOUSE_SCHEMA_UNSUPPORTED', `Avro field "${field}" has no warehouse column type: ${why}`, {
    details: { field },
  });

const isPrimitive = (name: AvroJson | undefined): name is PrimitiveType => typeof name === 'string' && PRIMITIVES.has(name);

/** The column type of a non-null Avro type: primitives, timestamp-millis longs and maps of primitives. */
function columnType(field: string, type: AvroJson): ColumnType {
  if (isPrimitive(type)) return type;
  if (!isObject(type)) throw unsupported(field, `${JSON.stringify(type)} is not a primitive, map or timestamp`);
  const { type: base, logicalType, values } = type;
  if (logicalType !== undefined) {
    if (base === 'long' && logicalType === 'timestamp-millis') return 'timestamp';
    // Anything else (timestamp-micros, date, decimal, ...) would need its own column type; mapping it to the raw
    // long or bytes would silently change what the numbers mean.
    if (typeof logicalType !== 'string' || !TRANSPARENT_LOGICAL_TYPES.has(logicalType)) {
      throw unsupported(field, `logical type ${JSON.stringify(logicalType)} on ${JSON.stringify(base)}`);
    }
  }
  if (isPrimitive(base)) return base;
  if (base === 'map' && isPrimitive(values)) return `map<${values}>`;
  throw unsupported(field, `${JSON.stringify(type)} is not a primitive, map of primitives or timestamp`);
}

/** `["null", T]` (in either order) is a nullable T; every other union has no single column type. */
function nullableType(field: string, type: AvroJson): { type: ColumnType; nullable: boolean } {
  if (!Array.isArray(type)) return { type: columnType(field, type), nullable: false };
  const others = type.filter((branch) => branch !== 'null');
  const [only] = others;
  if (others.length !== 1 || type.length !== 2 || only === undefined) {
    throw unsupported(field, `union ${JSON.stringify(type)} is not ["null", T]`);
  }
  return { type: columnType(field, only), nullable: true };
}

/**
 * One column per field of an Avro record schema, in field order, with the field's nullability and default.
 * The Avro schema is the contract: a column's name, type and nullability come from nowhere else.
 */
export function columnsFromAvro(schema: AvroSchema): ColumnDefinition[] {
  if (!isObject(schema) || schema['type'] !== 'record' || !Array.isArray(schema['fields'])) {
    throw fatalError('WAREHOUSE_SCHEMA_UNSUPPORTED', 'A warehouse table derives from an Avro record schema', {
      details: { schema: JSON.stringify(schema).slice(0, 200) },
    });
  }
  return schema['fields'].map((field): ColumnDefinition => {
    if (!isObject(field) || typeof field['name'] !== 'string' || field['type'] === undefined) {
      throw unsupported(String(isObject(field) ? field['name'] : field), 'not a field with a name and a type');
    }
    const name = field['name'];
    const { type, nullable } = nullableType(name, field['type']);
    const column: ColumnDefinition = { name, type, nullable, origin: 'field' };
    const value = field['default'];
    return value === undefined ? column : { ...column, default: { value } };
  });
}
