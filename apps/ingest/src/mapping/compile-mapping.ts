import { basename } from 'node:path';
import { fatalError } from '@meterline/stream';
import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import type { SourceRow } from '../sources/files';
import {
  compileField,
  describeSources,
  fieldEntries,
  fieldSpecsOf,
  flagsOf,
  isFileLevel,
  labelEntries,
  present,
  type Flags,
  type Resolve,
} from './field-sources';
import type { Mapping, MetadataFieldSpecs, MetadataMapping, MetricFieldSpecs, MetricsMapping } from './mapping-schema';

export interface MappingOptions {
  /** Values for the mapping's `{ "flag": ... }` sources. A flag the mapping does not read is an error, not ignored. */
  readonly flags?: Flags;
}

export interface RowMapper<F> {
  /** The candidates of one row: one per record of the mapping, or one carrying the problem of an unreadable row. */
  mapRow(row: SourceRow): Candidate<F>[];
  /** The candidates of a batch of rows, in order. */
  mapRows(rows: readonly SourceRow[]): Candidate<F>[];
}

/** Fields every record needs; when they come from flags or the file name, missing them is a setup mistake. */
const REQUIRED: Readonly<Record<Mapping['produces'], readonly string[]>> = {
  metrics: ['node_id', 'metric', 'value', 'event_time'],
  metadata: ['node_id'],
};

/** Names and resolvers side by side: the per-row loop then runs over plain arrays. */
interface CompiledRecord {
  readonly fieldNames: readonly string[];
  readonly fieldValues: readonly Resolve[];
  readonly labelNames: readonly string[];
  readonly labelValues: readonly Resolve[];
}

type Specs = MetricFieldSpecs | MetadataFieldSpecs;

/**
 * Turns a mapping into a function from rows to candidates. Values are passed on as read (strings stay strings):
 * parsing numbers and times is validation's job, which then reports them with the field's name.
 */
export function compileMapping(mapping: MetricsMapping, options?: MappingOptions): RowMapper<MetricFields>;
export function compileMapping(mapping: MetadataMapping, options?: MappingOptions): RowMapper<MetadataFields>;
export function compileMapping(mapping: Mapping, options?: MappingOptions): RowMapper<MetricFields> | RowMapper<MetadataFields>;
export function compileMapping(mapping: Mapping, options: MappingOptions = {}): RowMapper<AnyFields> {
  return rowMapper(mapping, options);
}

/** The fields of either kind of record: what the mapping engine builds before the caller knows which it is. */
export type AnyFields = MetricFields & MetadataFields;

/** `compileMapping` without the overloads, for code that handles both kinds of mapping alike. */
export function rowMapper(mapping: Mapping, options: MappingOptions = {}): RowMapper<AnyFields> {
  const flags = options.flags ?? {};
  const specs: Specs[] =
    mapping.produces === 'metrics' && mapping.records
      ? mapping.records.map((r) => ({ ...mapping.fields, ...r, labels: { ...mapping.fields.labels, ...r.labels } }))
      : [mapping.fields];

  checkFlags(mapping, specs, flags);
  const records = specs.map((s) => compileRecord(s, flags));
  const checkFile = fileChecks(mapping, specs, flags);
  // Several records from one row are told apart in the DLQ headers by their place in the mapping's list.
  const several = records.length > 1;

  let lastFile: string | undefined;
  const map = (row: SourceRow, out: Candidate<AnyFields>[]) => {
    if (row.position.file !== lastFile) {
      lastFile = row.position.file;
      checkFile(lastFile);
    }
    if (row.problem) {
      out.push({ fields: {}, position: row.position, original: row.original, problem: row.problem });
      return;
    }
    for (let r = 0; r < records.length; r++) {
      const record = records[r] as CompiledRecord;
      const fields: Record<string, unknown> = {};
      for (let i = 0; i < record.fieldNames.length; i++) {
        const v = (record.fieldValues[i] as Resolve)(row);
        if (v !== undefined) fields[record.fieldNames[i] as string] = v;
      }
      if (record.labelNames.length > 0) {
        const labels: Record<string, unknown> = {};
        for (let i = 0; i < record.labelNames.length; i++) {
          const v = (record.labelValues[i] as Resolve)(row);
          // An empty label is the same as none, as in Prometheus.
          if (present(v)) labels[record.labelNames[i] as string] = v;
        }
        fields['labels'] = labels;
      }
      const position = several ? { ...row.position, record: String(r + 1) } : row.position;
      out.push({ fields, position, original: row.original });
    }
  };
  return {
    mapRow: (row) => {
      const out: Candidate<AnyFields>[] = [];
      map(row, out);
      return out;
    },
    mapRows: (rows) => {
      const out: Candidate<AnyFields>[] = [];
      for (const row of rows) map(row, out);
      return out;
    },
  };
}

function compileRecord(specs: Specs, flags: Flags): CompiledRecord {
  const fields = fieldEntries(specs);
  const labels = labelEntries(specs);
  return {
    fieldNames: fields.map(([name]) => name),
    fieldValues: fields.map(([, spec]) => compileField(spec, flags)),
    labelNames: labels.map(([name]) => name),
    labelValues: labels.map(([, spec]) => compileField(spec, flags)),
  };
}

/** A flag nobody reads is most likely a typo (`nodeid` for `nodeId`): say so instead of ignoring it. */
function checkFlags(mapping: Mapping, specs: readonly Specs[], flags: Flags): void {
  const read = new Set(specs.flatMap((s) => fieldSpecsOf(s).flatMap(flagsOf)));
  const unknown = Object.keys(flags).filter((f) => !read.has(f));
  if (unknown.length > 0) {
    const known = read.size > 0 ? `it reads ${[...read].sort().join(', ')}` : 'it reads no flags';
    throw fatalError('MAPPING_UNKNOWN_FLAG', `mapping ${mapping.name} does not read the flag ${unknown.join(', ')} (${known})`);
  }
}

/**
 * Required fields that do not depend on the row (flags, constants, the file name) are checked once per file, so a
 * file whose name does not give a node id fails at once with the reason, instead of every row failing validation.
 */
function fileChecks(mapping: Mapping, specs: readonly Specs[], flags: Flags): (file: string) => void {
  const required = new Set(REQUIRED[mapping.produces]);
  const checks = specs.flatMap((s) =>
    fieldEntries(s)
      .filter(([name, spec]) => required.has(name) && isFileLevel(spec))
      .map(([name, spec]) => ({ name, spec, resolve: compileField(spec, flags) })),
  );
  return (file) => {
    const row: SourceRow = { values: {}, position: { file, line: '0' }, original: '' };
    for (const { name, spec, resolve } of checks) {
      if (!present(resolve(row))) {
        throw fatalError(
          'MAPPING_NO_VALUE',
          `${file}: mapping ${mapping.name} finds no ${name} for ${basename(file)}: it tried ${describeSources(spec)}`,
        );
      }
    }
  };
}
