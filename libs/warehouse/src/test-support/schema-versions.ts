import { nodeMetadataSchema, nodeMetricEnrichedSchema, nodeMetricEnrichedSchemaV1, type AvroJson, type VersionedSchema } from '@meterline/schemas';

type JsonObject = { readonly [key: string]: AvroJson };

const isObject = (json: AvroJson | undefined): json is JsonObject => typeof json === 'object' && json !== null && !Array.isArray(json);

const fieldsOf = (schema: AvroJson): readonly AvroJson[] => {
  const fields = isObject(schema) ? schema['fields'] : undefined;
  if (!Array.isArray(fields)) throw new Error('not a record schema');
  return fields as readonly AvroJson[];
};

const named = (field: AvroJson, name: string): field is JsonObject => isObject(field) && field['name'] === name;

/** A version of the enriched schema with the given fields; the record name and namespace stay those of v1. */
function enrichedVersion(version: number, fields: readonly AvroJson[]): VersionedSchema<unknown> {
  return {
    ...nodeMetricEnrichedSchema,
    version,
    schema: { ...(nodeMetricEnrichedSchemaV1 as Record<string, AvroJson>), fields },
  };
}

const v1Fields = fieldsOf(nodeMetricEnrichedSchemaV1 as AvroJson);

/** v2: a BACKWARD-compatible change, one new optional field. */
export const enrichedV2 = enrichedVersion(2, [
  ...v1Fields,
  { name: 'node_pool', type: ['null', 'string'], default: null, doc: 'The node pool (node group) the node belongs to; null when unknown.' },
]);

/** An incompatible v3: `value` becomes a string. */
export const enrichedValueAsString = enrichedVersion(
  3,
  v1Fields.map((field) => (named(field, 'value') ? { ...field, type: 'string' } : field)),
);

/** An incompatible v3: the required `unit` is gone. */
export const enrichedWithoutUnit = enrichedVersion(
  3,
  v1Fields.filter((field) => !named(field, 'unit')),
);

/** The metadata schema with one more optional field, `node_pool`. */
export const metadataV2: VersionedSchema<unknown> = {
  ...nodeMetadataSchema,
  version: 2,
  schema: {
    ...(nodeMetadataSchema.schema as Record<string, AvroJson>),
    fields: [...fieldsOf(nodeMetadataSchema.schema as AvroJson), { name: 'node_pool', type: ['null', 'string'], default: null }],
  },
};

/** v2 with new fields that have non-null defaults: what rows loaded before them read. */
export const enrichedWithDefaults = enrichedVersion(2, [
  ...v1Fields,
  { name: 'tier', type: 'string', default: 'standard' },
  { name: 'quota', type: { type: 'map', values: 'long' }, default: { pods: 110 } },
  { name: 'first_seen', type: { type: 'long', logicalType: 'timestamp-millis' }, default: 0 },
]);
