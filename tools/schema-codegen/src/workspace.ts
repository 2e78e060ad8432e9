import { join } from 'node:path';
import { generateModules, type GeneratedFile } from './generate-modules';
import { readAvroTree } from './read-avro-tree';
import type { SchemaFamily } from './schema-family';

/** Where libs/schemas keeps its contract, relative to the workspace root. */
export const SCHEMAS_LAYOUT = {
  avroDir: 'libs/schemas/avro',
  generatedDir: 'libs/schemas/src/generated',
  /** Seen from the generated folder: the handwritten module with `AvroSchema` and `VersionedSchema`. */
  runtimeImport: '../versioned-schema',
} as const;

export const readSchemaFamilies = (root: string): SchemaFamily[] => readAvroTree(join(root, SCHEMAS_LAYOUT.avroDir));

/** What `npm run schemas:generate` writes into libs/schemas/src/generated for the .avsc files of this workspace. */
export const generateSchemasLib = (families: readonly SchemaFamily[]): GeneratedFile[] =>
  generateModules(families, { sourceDir: SCHEMAS_LAYOUT.avroDir, runtimeImport: SCHEMAS_LAYOUT.runtimeImport });
