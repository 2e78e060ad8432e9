import { join } from 'node:path';
import { backwardProblems, evolutionProblems } from './evolution';
import type { Json, JsonObject } from './json';
import { readAvroTree } from './read-avro-tree';
import type { SchemaFamily } from './schema-family';

const fixture = (name: string): SchemaFamily => {
  const [family] = readAvroTree(join(__dirname, 'spec-fixtures/evolution', name));
  if (!family) throw new Error(`fixture ${name} has no schema folder`);
  return family;
};

const schemaOf = (family: SchemaFamily, version: number) => {
  const found = family.versions.find((v) => v.version === version);
  if (!found) throw new Error(`${family.name} has no v${version}`);
  return found.schema;
};

describe('evolutionProblems', () => {
  it('accepts a new version whose added fields all have defaults', () => {
    expect(evolutionProblems(fixture('added-field-with-default'))).toEqual([]);
  });

  it('rejects a new version that adds a field without a default, naming the field', () => {
    const problems = evolutionProblems(fixture('added-field-without-default'));
    expect(problems[0]).toBe(
      'reading v1 → v2: io.meterline.fixture.Reading.unit was added without a default, so data written before it cannot be read',
    );
    // avsc's resolver agrees, in its own words.
    expect(problems[1]).toMatch(/^reading v1 → v2: cannot read data written with the previous version: .*unit/);
    expect(problems).toHaveLength(2);
  });

  it('rejects a field added without a default inside a nested record', () => {
    expect(evolutionProblems(fixture('nested-field-without-default'))).toContain(
      'reading v1 → v2: io.meterline.fixture.Location.rack was added without a default, so data written before it cannot be read',
    );
  });

  it('rejects a changed field type even though no field was added', () => {
    expect(evolutionProblems(fixture('changed-field-type'))).toEqual([
      'reading v1 → v2: cannot read data written with the previous version: cannot read "string" as "long"',
    ]);
  });

  it('compares each version only with the one before it, like the registry under BACKWARD (not transitive)', () => {
    const family = fixture('default-dropped-later');
    expect(family.versions.map((v) => v.version)).toEqual([1, 2, 3]);
    expect(evolutionProblems(family)).toEqual([]);
    // v3 could not read v1 data; the registry never asks, and neither does the check.
    expect(backwardProblems(schemaOf(family, 1), schemaOf(family, 3))).toHaveLength(2);
  });
});

describe('backwardProblems', () => {
  const record = (fields: Json[]): JsonObject => ({
    type: 'record',
    name: 'Sample',
    namespace: 'io.meterline.spec',
    fields,
  });

  it('treats a renamed field that keeps its old name as an alias as the same field', () => {
    const v1 = record([{ name: 'host', type: 'string' }]);
    const v2 = record([{ name: 'node_id', aliases: ['host'], type: 'string' }]);
    expect(backwardProblems(v1, v2)).toEqual([]);
  });

  it('lets a field become nullable', () => {
    const v1 = record([{ name: 'zone', type: 'string' }]);
    const v2 = record([{ name: 'zone', type: ['null', 'string'], default: null }]);
    expect(backwardProblems(v1, v2)).toEqual([]);
  });

  it('rejects a renamed record', () => {
    const v1 = record([{ name: 'zone', type: 'string' }]);
    const v2 = { ...v1, name: 'Other' };
    expect(backwardProblems(v1, v2)).toEqual([
      'cannot read data written with the previous version: no alias found for io.meterline.spec.Sample',
    ]);
  });
});
