import {
  evolutionProblems,
  generateSchemasLib,
  isJsonArray,
  isJsonObject,
  readSchemaFamilies,
  SCHEMAS_LAYOUT,
  staleGeneratedFiles,
  type Json,
  type JsonObject,
} from '@meterline/schema-codegen';
import avro from 'avsc';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const families = readSchemaFamilies(ROOT);
const versions = families.flatMap((f) => f.versions);

const asObject = (json: Json | undefined): JsonObject => (isJsonObject(json) ? json : {});
const records = versions
  .filter((v) => asObject(v.schema)['type'] === 'record')
  .map((v) => [v.file, asObject(v.schema)] as const);

describe('the .avsc files', () => {
  it.each(versions.map((v) => [v.file, v.schema] as const))('%s parses with avsc', (_file, schema) => {
    expect(() => avro.Type.forSchema(schema as avro.Schema)).not.toThrow();
  });

  it('let every version read data written with the version before it, as the registry (BACKWARD) requires', () => {
    expect(families.flatMap(evolutionProblems)).toEqual([]);
  });

  it.each(records)(
    '%s names its record in io.meterline, without a version, so all versions evolve one record',
    (_file, record) => {
      expect(record['namespace']).toBe('io.meterline');
      expect(record['name']).toMatch(/^[A-Z][A-Za-z]*$/);
    },
  );

  it.each(records)('%s documents the record and every field', (_file, record) => {
    const fields = isJsonArray(record['fields']) ? record['fields'].map(asObject) : [];
    expect(fields.length).toBeGreaterThan(0);
    expect(record['doc']).toEqual(expect.any(String));
    expect(fields.filter((f) => typeof f['doc'] !== 'string' || f['doc'] === '').map((f) => f['name'])).toEqual([]);
  });

  it('have committed TypeScript that matches them (run `npm run schemas:generate` when this fails)', () => {
    const generated = generateSchemasLib(families);
    expect(staleGeneratedFiles(join(ROOT, SCHEMAS_LAYOUT.generatedDir), generated)).toEqual([]);
  });
});
