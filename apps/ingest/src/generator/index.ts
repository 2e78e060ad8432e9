export { generate, type GeneratedRecord, type GeneratorRun } from './generate';
export { writeDataset, type OutputOptions } from './write-dataset';
export {
  defaultGeneratorOptions,
  resolveGeneratorOptions,
  GeneratorOptionsError,
  type GeneratorOptions,
  type GeneratorOverrides,
  type QuirkRates,
  type ResolvedOptions,
} from './options';
export {
  datasetFiles,
  generatorVersion,
  type DatasetFile,
  type Manifest,
  type ManifestOptions,
  type WrittenManifest,
} from './manifest';
export { instanceTypes, zones, type InstanceType } from './catalog';
export { invalidKinds, type InvalidKind } from './records';
