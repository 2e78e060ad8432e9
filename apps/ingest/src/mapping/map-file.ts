import { fatalError } from '@meterline/stream';
import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import { openFile, type FileFormat, type ReadProgress } from '../sources/files';
import { rowMapper, type AnyFields, type MappingOptions } from './compile-mapping';
import { fieldSpecsOf } from './field-sources';
import type { Mapping, MetadataMapping, MetricsMapping } from './mapping-schema';

export interface MapFileOptions extends MappingOptions {
  /** Longest line or quoted CSV record read whole (see `openFile`). */
  readonly maxLineLength?: number;
}

export interface MappedFile<F> {
  readonly file: string;
  readonly format: FileFormat;
  readonly gzip: boolean;
  progress(): ReadProgress;
  /** Candidates a batch at a time, in file order; the fast way, for a caller that sends batches anyway. Once. */
  batches(): AsyncIterable<readonly Candidate<F>[]>;
  /** The same candidates one at a time. Either this or `batches()`, once. */
  candidates(): AsyncIterable<Candidate<F>>;
}

/**
 * One file read with a mapping: its format detected, its CSV read as the mapping says, and every row turned into
 * candidates. A column the mapping needs but the file lacks fails the file before its first candidate.
 */
export function mapFile(file: string, mapping: MetricsMapping, options?: MapFileOptions): Promise<MappedFile<MetricFields>>;
export function mapFile(file: string, mapping: MetadataMapping, options?: MapFileOptions): Promise<MappedFile<MetadataFields>>;
export function mapFile(
  file: string,
  mapping: Mapping,
  options?: MapFileOptions,
): Promise<MappedFile<MetricFields> | MappedFile<MetadataFields>>;
export async function mapFile(
  file: string,
  mapping: Mapping,
  options: MapFileOptions = {},
): Promise<MappedFile<AnyFields>> {
  const mapper = rowMapper(mapping, options);
  const opened = await openFile(file, {
    ...(mapping.csv ? { csv: mapping.csv } : {}),
    ...(options.maxLineLength ? { maxLineLength: options.maxLineLength } : {}),
  });
  const batches = async function* () {
    let checked = false;
    for await (const rows of opened.batches()) {
      if (!checked) {
        checkColumns(mapping, file, opened.columns());
        checked = true;
      }
      yield mapper.mapRows(rows);
    }
  };
  return {
    file,
    format: opened.format,
    gzip: opened.gzip,
    progress: () => opened.progress(),
    batches,
    candidates: async function* () {
      for await (const batch of batches()) yield* batch;
    },
  };
}

/**
 * A field whose sources are all columns, none of which the file has, would be empty in every row: that is a mapping
 * applied to the wrong file, reported once. A missing column with a fallback (another column, a constant) is fine.
 */
function checkColumns(mapping: Mapping, file: string, columns: readonly string[] | undefined): void {
  if (columns === undefined) return;
  const have = new Set(columns);
  const records = mapping.produces === 'metrics' ? (mapping.records ?? []) : [];
  const specs = [mapping.fields, ...records].flatMap(fieldSpecsOf);
  const missing = new Set<string>();
  for (const spec of specs) {
    const columns = spec.map((s) => s.column);
    if (columns.every((c) => c !== undefined && !have.has(c))) for (const c of columns) if (c !== undefined) missing.add(c);
  }
  if (missing.size > 0) {
    throw fatalError(
      'MAPPING_UNKNOWN_COLUMN',
      `${file}: mapping ${mapping.name} needs column ${[...missing].join(', ')}, which the file does not have (it has ${columns.join(', ')})`,
    );
  }
}
