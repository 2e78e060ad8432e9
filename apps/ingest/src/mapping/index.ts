// Mappings as data: JSON files that say how a dataset's rows become metric or metadata candidates.
export { applyMapping } from './apply-mapping';
export { builtinMappingNames } from './builtin-mappings';
export { compileMapping, type MappingOptions, type RowMapper } from './compile-mapping';
export type { Flags } from './field-sources';
export { loadMapping, parseMapping } from './load-mapping';
export { mapFile, type MapFileOptions, type MappedFile } from './map-file';
export { MappingError } from './mapping-error';
export type { FieldSpec, Mapping, MetadataMapping, MetricsMapping, Source } from './mapping-schema';
