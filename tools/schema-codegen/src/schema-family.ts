import type { Json } from './json';

/** One published version of a schema: `<family>/v<version>.avsc`. */
export interface SchemaVersion {
  readonly version: number;
  /** Path relative to the avro folder, e.g. `node-metric-raw/v1.avsc`. */
  readonly file: string;
  readonly schema: Json;
}

/** All versions of one schema, oldest first; the last one is current. */
export interface SchemaFamily {
  /** The folder name, kebab-case: `node-metric-raw`. Type and constant names derive from it. */
  readonly name: string;
  readonly versions: readonly SchemaVersion[];
}

export const currentVersion = (family: SchemaFamily): SchemaVersion | undefined => family.versions.at(-1);
