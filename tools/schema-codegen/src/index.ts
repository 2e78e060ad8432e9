export { isJsonArray, isJsonObject, type Json, type JsonObject } from './json';
export type { SchemaFamily, SchemaVersion } from './schema-family';
export { AvroTreeError, readAvroTree } from './read-avro-tree';
export { backwardProblems, evolutionProblems } from './evolution';
export { schemaProblems } from './schema-problems';
export { CodegenError, renderTypes, type Declaration, type RenderedTypes } from './ts-types';
export { generateModules, type GeneratedFile, type GenerateOptions } from './generate-modules';
export { staleGeneratedFiles, writeGeneratedFiles } from './generated-files';
export { generateSchemasLib, readSchemaFamilies, SCHEMAS_LAYOUT } from './workspace';
