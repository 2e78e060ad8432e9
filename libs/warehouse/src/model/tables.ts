import {
  nodeMetadataSchema,
  nodeMetricAggSchema,
  nodeMetricEnrichedSchema,
  type VersionedSchema,
} from '@meterline/schemas';
import { fatalError } from '@meterline/stream';
import { columnsFromAvro } from './avro-columns';
import type { ColumnDefinition } from './column';

/** The tables loaded from topics. `node_features` joins them once feature-builder publishes `features.node.v1`. */
export type TableName = 'fact_node_metric' | 'dim_node' | 'agg_node_metric';

/**
 * How a batch lands in its table:
 * - `append`: one row per record (facts); re-deliveries are kept out by the stored offsets alone.
 * - `upsert`: one row per `key`; a record replaces the row only with a strictly higher `keepHighest` (revisions).
 * - `history`: slowly changing dimension type 2 per `key`: a changed record closes the current version (`valid_to`)
 *   and opens a new one from its `validFrom` field; a tombstone (null value) closes it.
 */
export type WriteMode =
  | { readonly kind: 'append' }
  | { readonly kind: 'upsert'; readonly key: readonly string[]; readonly keepHighest: string }
  | { readonly kind: 'history'; readonly key: string; readonly validFrom: string };

export interface TableDefinition {
  readonly name: TableName;
  /** The value schema its field columns derive from. */
  readonly schema: VersionedSchema<unknown>;
  /** Field columns in schema order, then the warehouse's own columns, then lineage. */
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
  readonly write: WriteMode;
}

/** Which Kafka record a row was loaded from: what makes a replay detectable and a row traceable to its source. */
export const LINEAGE_COLUMNS: readonly ColumnDefinition[] = [
  { name: 'source_topic', type: 'string', nullable: false, origin: 'lineage' },
  { name: 'source_partition', type: 'int', nullable: false, origin: 'lineage' },
  { name: 'source_offset', type: 'long', nullable: false, origin: 'lineage' },
];

/** The validity interval of a history version: [valid_from, valid_to), valid_to null while it is current. */
export const VALID_FROM_COLUMN: ColumnDefinition = { name: 'valid_from', type: 'timestamp', nullable: false, origin: 'warehouse' };
export const VALID_TO_COLUMN: ColumnDefinition = { name: 'valid_to', type: 'timestamp', nullable: true, origin: 'warehouse' };
export const HISTORY_COLUMNS: readonly ColumnDefinition[] = [VALID_FROM_COLUMN, VALID_TO_COLUMN];

/** The column of a table by name; the model guarantees keys exist (defineTable checks them). */
export function columnOf(table: TableDefinition, name: string): ColumnDefinition {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) {
    throw fatalError('WAREHOUSE_MODEL_INVALID', `${table.name} has no column "${name}"`, { details: { table: table.name, column: name } });
  }
  return column;
}

function requireFields(table: TableName, fields: readonly ColumnDefinition[], names: readonly string[]): void {
  for (const name of names) {
    const column = fields.find((c) => c.name === name);
    // Keys and revisions decide which row wins; a null one would make that decision undefined.
    if (column === undefined || column.nullable) {
      throw fatalError('WAREHOUSE_MODEL_INVALID', `${table}: "${name}" must be a required field of its schema`, {
        details: { table, column: name },
      });
    }
  }
}

/** A table holding one topic's values, with its columns derived from the value schema. */
export function defineTable(name: TableName, schema: VersionedSchema<unknown>, write: WriteMode): TableDefinition {
  const fields = columnsFromAvro(schema.schema);
  switch (write.kind) {
    case 'append':
      return { name, schema, columns: [...fields, ...LINEAGE_COLUMNS], primaryKey: [], write };
    case 'upsert':
      requireFields(name, fields, [...write.key, write.keepHighest]);
      return { name, schema, columns: [...fields, ...LINEAGE_COLUMNS], primaryKey: write.key, write };
    case 'history':
      requireFields(name, fields, [write.key, write.validFrom]);
      return {
        name,
        schema,
        columns: [...fields, ...HISTORY_COLUMNS, ...LINEAGE_COLUMNS],
        primaryKey: [write.key, 'valid_from'],
        write,
      };
  }
}

/** The value schema of each table; the defaults are the current versions in libs/schemas. */
export type ModelSchemas = { readonly [T in TableName]: VersionedSchema<unknown> };

export type WarehouseModel = { readonly [T in TableName]: TableDefinition };

/**
 * The warehouse model of the dwh-loader issue. To add `node_features`: add its name to TableName and its records to
 * TableRecords, then `node_features: defineTable('node_features', schemas.node_features, { kind: 'upsert', key:
 * ['node_id', 'window_end', 'feature_set_version'], keepHighest: <its revision field> })` here; writers need nothing new.
 */
export function warehouseModel(schemas: Partial<ModelSchemas> = {}): WarehouseModel {
  return {
    fact_node_metric: defineTable('fact_node_metric', schemas.fact_node_metric ?? nodeMetricEnrichedSchema, {
      kind: 'append',
    }),
    dim_node: defineTable('dim_node', schemas.dim_node ?? nodeMetadataSchema, {
      kind: 'history',
      key: 'node_id',
      validFrom: 'updated_at',
    }),
    agg_node_metric: defineTable('agg_node_metric', schemas.agg_node_metric ?? nodeMetricAggSchema, {
      kind: 'upsert',
      key: ['node_id', 'metric', 'window_start'],
      keepHighest: 'revision',
    }),
  };
}

/** Consumed positions: the next offset to read per consumer group, topic and partition (Kafka's own semantics). */
export const OFFSETS_TABLE = 'load_offsets';

export const OFFSETS_COLUMNS: readonly ColumnDefinition[] = [
  { name: 'consumer_group', type: 'string', nullable: false, origin: 'warehouse' },
  { name: 'topic', type: 'string', nullable: false, origin: 'warehouse' },
  { name: 'partition', type: 'int', nullable: false, origin: 'warehouse' },
  { name: 'next_offset', type: 'long', nullable: false, origin: 'warehouse' },
];

export const OFFSETS_PRIMARY_KEY: readonly string[] = ['consumer_group', 'topic', 'partition'];

/**
 * The table's definition for another version of its value schema, or undefined when there is nothing to change:
 * records of older writers are read through the newest schema (defaults fill what they lack), so going back to an
 * older version would only stop filling the newer columns.
 */
export function evolvedTable(current: TableDefinition, table: TableName, schema: VersionedSchema<unknown>): TableDefinition | undefined {
  if (schema.family === current.schema.family && schema.version < current.schema.version) return undefined;
  return defineTable(table, schema, current.write);
}
