import type { AvroJson } from '@meterline/schemas';

/** The Avro primitives a column (or a map's values) can hold. */
export type PrimitiveType = 'string' | 'boolean' | 'int' | 'long' | 'float' | 'double';

/**
 * Backend-neutral column types. Avro maps to these once (avro-columns.ts); each backend maps these to its own SQL
 * types (duckdb/duckdb-types.ts), so the .avsc files stay the one contract for every warehouse.
 * `timestamp` is an instant with millisecond precision (Avro `long` + `timestamp-millis`), always UTC.
 */
export type ColumnType = PrimitiveType | 'timestamp' | `map<${PrimitiveType}>`;

export interface ColumnDefinition {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
  /**
   * Where the column comes from: a field of the table's Avro schema, the Kafka record it was loaded from (lineage), or
   * the warehouse's own bookkeeping (history validity, offsets).
   */
  readonly origin: 'field' | 'lineage' | 'warehouse';
  /**
   * The Avro default, for fields that have one: what a record written before the field existed reads as (Avro
   * schema resolution), so it is also what rows loaded before the column existed get.
   */
  readonly default?: { readonly value: AvroJson };
}

export const isMapType = (type: ColumnType): type is `map<${PrimitiveType}>` => type.startsWith('map<');

/** The value type of a `map<...>` column. */
export const mapValueType = (type: `map<${PrimitiveType}>`): PrimitiveType => type.slice(4, -1) as PrimitiveType;
