import type { Json } from './json';
import { schemaProblems } from './schema-problems';
import type { SchemaFamily } from './schema-family';

const family = (name: string, ...schemas: Json[]): SchemaFamily => ({
  name,
  versions: schemas.map((schema, i) => ({ version: i + 1, file: `${name}/v${i + 1}.avsc`, schema })),
});

const record = (fields: Json[]): Json => ({ type: 'record', name: 'Sample', fields });

describe('schemaProblems', () => {
  it('reports a version avsc cannot parse instead of comparing it', () => {
    const badDefault = record([{ name: 'capacity', type: ['null', 'double'], default: 0 }]);
    const problems = schemaProblems([family('sample', record([]), badDefault)]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^sample\/v2\.avsc: .*union defaults must match the first branch/);
  });

  it('rejects a union that avsc would have to wrap, since its generated type would be wrong', () => {
    const ambiguous = record([{ name: 'count', type: ['int', 'long'] }]);
    expect(schemaProblems([family('sample', ambiguous)])).toEqual([expect.stringMatching(/^sample\/v1\.avsc: ambiguous/)]);
  });

  it('reports incompatible evolutions of every family', () => {
    const v1 = record([{ name: 'a', type: 'string' }]);
    const v2 = record([
      { name: 'a', type: 'string' },
      { name: 'b', type: 'string' },
    ]);
    expect(schemaProblems([family('one', v1, v2), family('two', v1), family('three', v1, v1, v2)])).toEqual([
      'one v1 → v2: Sample.b was added without a default, so data written before it cannot be read',
      expect.stringMatching(/^one v1 → v2: cannot read data written with the previous version/),
      'three v2 → v3: Sample.b was added without a default, so data written before it cannot be read',
      expect.stringMatching(/^three v2 → v3: cannot read data written with the previous version/),
    ]);
  });
});
