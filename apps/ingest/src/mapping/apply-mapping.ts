import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import type { SourceRow } from '../sources/files';
import { rowMapper, type AnyFields, type MappingOptions } from './compile-mapping';
import type { Mapping, MetadataMapping, MetricsMapping } from './mapping-schema';

/** Candidates from rows, one at a time. `mapFile` does the same per batch, which is several times faster. */
export function applyMapping(
  mapping: MetricsMapping,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  options?: MappingOptions,
): AsyncGenerator<Candidate<MetricFields>, void, undefined>;
export function applyMapping(
  mapping: MetadataMapping,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  options?: MappingOptions,
): AsyncGenerator<Candidate<MetadataFields>, void, undefined>;
export function applyMapping(
  mapping: Mapping,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  options?: MappingOptions,
): AsyncGenerator<Candidate<MetricFields> | Candidate<MetadataFields>, void, undefined>;
export async function* applyMapping(
  mapping: Mapping,
  rows: AsyncIterable<SourceRow> | Iterable<SourceRow>,
  options: MappingOptions = {},
): AsyncGenerator<Candidate<AnyFields>, void, undefined> {
  const mapper = rowMapper(mapping, options);
  for await (const row of rows) yield* mapper.mapRow(row);
}
