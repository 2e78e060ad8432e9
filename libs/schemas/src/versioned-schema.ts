/** JSON as found in an .avsc file. */
export type AvroJson = null | boolean | number | string | readonly AvroJson[] | { readonly [key: string]: AvroJson };

/** An Avro schema in its JSON form: a type name (`"string"`), a union (`[...]`) or a type object (`{"type": ...}`). */
export type AvroSchema = string | readonly AvroJson[] | { readonly [key: string]: AvroJson };

// Type-level only: no value carries this key. It lets the compiler tell a VersionedSchema<A> from a VersionedSchema<B>.
declare const dataType: unique symbol;

/**
 * One version of an Avro schema, typed with the TypeScript type of the data it describes (generated from the same
 * .avsc file). The type parameter is what lets a producer for a topic accept only that topic's records.
 */
export interface VersionedSchema<T> {
  /** The folder under libs/schemas/avro holding every version: `node-metric-raw`. */
  readonly family: string;
  /** The Avro full name of a named type (`io.meterline.NodeMetricRaw`), else the type itself (`string`). */
  readonly name: string;
  /** The `v<N>.avsc` this is; the registry assigns its own ids and version numbers, which need not match. */
  readonly version: number;
  /** The parsed .avsc JSON: register `JSON.stringify(schema)`, or hand it to `avro.Type.forSchema`. */
  readonly schema: AvroSchema;
  readonly [dataType]?: T;
}

/** The TypeScript type of the data a VersionedSchema describes. */
export type DataOf<S> = S extends VersionedSchema<infer T> ? T : never;
