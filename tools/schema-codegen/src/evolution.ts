import { collectNamedTypes, qualify, namespaceOf } from './avro-names';
import { messageOf, parseAvro } from './avro-type';
import { isJsonArray, isJsonObject, stringOf, type Json, type JsonObject } from './json';
import type { SchemaFamily } from './schema-family';

/**
 * Problems that would make the registry (compatibility BACKWARD) refuse `newer` as the next version after `older`:
 * the new schema must read everything written with the old one. Empty when compatible.
 *
 * Two checks, because they fail differently: a field added without a default is named precisely here, while avsc's
 * resolver catches everything else (a changed type, a renamed record) with its own message.
 */
export function backwardProblems(older: Json, newer: Json): string[] {
  const problems = addedFieldsWithoutDefault(older, newer).map(
    (field) => `${field} was added without a default, so data written before it cannot be read`,
  );
  try {
    parseAvro(newer).createResolver(parseAvro(older));
  } catch (err) {
    problems.push(`cannot read data written with the previous version: ${messageOf(err)}`);
  }
  return problems;
}

/** Checks each version of a family against the one before it (BACKWARD is not transitive, like the registry's). */
export function evolutionProblems(family: SchemaFamily): string[] {
  return family.versions.slice(1).flatMap((newer, i) => {
    const older = family.versions[i];
    if (!older) return [];
    const step = `${family.name} v${older.version} → v${newer.version}`;
    return backwardProblems(older.schema, newer.schema).map((p) => `${step}: ${p}`);
  });
}

/** `record.field` of each field that a record of `newer` has, its counterpart in `older` lacks, and has no default. */
function addedFieldsWithoutDefault(older: Json, newer: Json): string[] {
  const olderRecords = records(older);
  const found: string[] = [];
  for (const [name, record] of records(newer)) {
    // A record that is new altogether has no old data; the field that introduces it needs the default.
    const previous = olderRecords.get(name) ?? aliasedRecord(record, name, olderRecords);
    if (!previous) continue;
    const known = new Set(fieldsOf(previous).flatMap(namesOf));
    for (const field of fieldsOf(record)) {
      const isNew = !namesOf(field).some((n) => known.has(n));
      if (isNew && !('default' in field)) found.push(`${name}.${stringOf(field['name']) ?? '?'}`);
    }
  }
  return found;
}

function records(schema: Json): Map<string, JsonObject> {
  const all = collectNamedTypes(schema);
  return new Map([...all].filter(([, t]) => t['type'] === 'record' || t['type'] === 'error'));
}

function aliasedRecord(record: JsonObject, name: string, olderRecords: Map<string, JsonObject>) {
  const aliases = record['aliases'];
  if (!isJsonArray(aliases)) return undefined;
  for (const alias of aliases) {
    const previous = typeof alias === 'string' ? olderRecords.get(qualify(alias, namespaceOf(name))) : undefined;
    if (previous) return previous;
  }
  return undefined;
}

const fieldsOf = (record: JsonObject): JsonObject[] => {
  const fields = record['fields'];
  return isJsonArray(fields) ? fields.filter(isJsonObject) : [];
};

/** A field answers to its name and its aliases (a renamed field is not a new one). */
const namesOf = (field: JsonObject): string[] => {
  const aliases = field['aliases'];
  const names = [stringOf(field['name'])];
  if (isJsonArray(aliases)) names.push(...aliases.map(stringOf));
  return names.filter((n): n is string => n !== undefined);
};
