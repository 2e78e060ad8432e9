import { basename } from 'node:path';
import type { SourceRow } from '../sources/files';
import type { FieldSpec, MetadataFieldSpecs, MetricFieldSpecs, Source } from './mapping-schema';

/** Flags given at run time (the CLI's `--node-id` becomes `nodeId`), by the names the mapping's sources use. */
export type Flags = Readonly<Record<string, string>>;

export type Resolve = (row: SourceRow) => unknown;

/** A value counts as given unless it is absent or empty: an empty CSV cell falls through to the next source. */
export const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/**
 * The value of one field for a row. With one source its value is taken as it is, empty or not (validation says what
 * is wrong with it); with several, the first present value wins, else the first source's own (empty) value.
 */
export function compileField(spec: FieldSpec, flags: Flags): Resolve {
  const getters = spec.map((s) => compileSource(s, flags));
  const [only] = getters;
  if (getters.length === 1 && only) return only;
  return (row) => {
    let fallback: unknown;
    for (const get of getters) {
      const v = get(row);
      if (present(v)) return v;
      if (fallback === undefined) fallback = v;
    }
    return fallback;
  };
}

/** A field whose sources do not look at the row: the same value for a whole file, so a miss is a setup mistake. */
export const isFileLevel = (spec: FieldSpec): boolean => spec.every((s) => s.column === undefined);

function compileSource(s: Source, flags: Flags): Resolve {
  if (s.column !== undefined) {
    const column = s.column;
    // A plain lookup: the schema refuses column names that Object.prototype has, so a missing column is undefined.
    return (row) => row.values[column];
  }
  if (s.const !== undefined) {
    const value = s.const;
    return () => value;
  }
  if (s.flag !== undefined) {
    const value = flags[s.flag];
    return () => value;
  }
  const pattern = new RegExp(s.fileName ?? '');
  const replace = s.replace;
  // Rows come file by file, so the file name is matched once per file, not once per row.
  let lastFile: string | undefined;
  let last: string | undefined;
  return (row) => {
    if (row.position.file !== lastFile) {
      lastFile = row.position.file;
      last = fromFileName(basename(lastFile), pattern, replace);
    }
    return last;
  };
}

/** `replace` with `$1` / `$<name>` / `$$` filled in from the match; without it the first group, or the whole match. */
export function fromFileName(name: string, pattern: RegExp, replace: string | undefined): string | undefined {
  const m = pattern.exec(name);
  if (!m) return undefined;
  if (replace === undefined) return m[1] ?? m[0];
  return replace.replace(/\$(?:<([^>]+)>|(\d+)|\$)/g, (_all, group: string | undefined, index: string | undefined) => {
    if (group !== undefined) return m.groups?.[group] ?? '';
    if (index !== undefined) return m[Number(index)] ?? '';
    return '$';
  });
}

/** Every flag a spec reads. */
export const flagsOf = (spec: FieldSpec): string[] => spec.flatMap((s) => (s.flag === undefined ? [] : [s.flag]));

/** What a file-level field tried, for the error when it found nothing. */
export const describeSources = (spec: FieldSpec): string =>
  spec
    .map((s) => (s.flag !== undefined ? `flag ${s.flag} (not given)` : s.fileName !== undefined ? `file name /${s.fileName}/ (no match)` : 'a constant'))
    .join(', then ');

type RecordSpecs = MetricFieldSpecs | MetadataFieldSpecs;

/** The record's fields other than labels, by name. */
export const fieldEntries = (fields: RecordSpecs): [string, FieldSpec][] =>
  Object.entries(fields).flatMap(([name, spec]: [string, unknown]) => (name !== 'labels' && Array.isArray(spec) ? [[name, spec as FieldSpec]] : []));

/** The record's labels, by label name. */
export const labelEntries = (fields: RecordSpecs): [string, FieldSpec][] => Object.entries(fields.labels ?? {});

/** Every field spec of a record's fields, labels included. */
export const fieldSpecsOf = (fields: RecordSpecs): FieldSpec[] => [...fieldEntries(fields), ...labelEntries(fields)].map(([, s]) => s);
