import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AvroTreeError, readAvroTree } from './read-avro-tree';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'avro-tree-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, content: string) => {
  mkdirSync(join(dir, file, '..'), { recursive: true });
  writeFileSync(join(dir, file), content);
};

const problemsOf = (): readonly string[] => {
  try {
    readAvroTree(dir);
  } catch (err) {
    if (err instanceof AvroTreeError) return err.problems;
    throw err;
  }
  throw new Error('expected an AvroTreeError');
};

describe('readAvroTree', () => {
  it('reads families in name order and versions in numeric order, v10 after v9', () => {
    for (let v = 1; v <= 10; v++) write(`node-id/v${v}.avsc`, '"string"');
    write('alpha/v1.avsc', '{"type": "map", "values": "long"}');
    write('README.md', 'how to add a version');
    const families = readAvroTree(dir);
    expect(families.map((f) => f.name)).toEqual(['alpha', 'node-id']);
    const expected = Array.from({ length: 10 }, (_, i) => `node-id/v${i + 1}.avsc`);
    expect(families[1]?.versions.map((v) => v.file)).toEqual(expected);
    expect(families[0]?.versions[0]?.schema).toEqual({ type: 'map', values: 'long' });
  });

  it('reports every problem of the tree at once', () => {
    write('node-metric-raw/v1.avsc', '"string"');
    write('node-metric-raw/v3.avsc', '"string"');
    write('node-metric-raw/v4.avsc', '"string"');
    write('node-metadata/v1.avsc', '{ not json');
    write('node-metadata/latest.avsc', '"string"');
    write('NodeInfo/v1.avsc', '"string"');
    write('empty/notes.txt', '');
    expect(problemsOf()).toEqual([
      'NodeInfo/: schema folders are kebab-case (node-metric-raw)',
      'empty/notes.txt: expected only files named v<N>.avsc (v1.avsc, v2.avsc, ...)',
      'empty/: has no v<N>.avsc file',
      'node-metadata/latest.avsc: expected only files named v<N>.avsc (v1.avsc, v2.avsc, ...)',
      expect.stringMatching(/^node-metadata\/v1\.avsc: not JSON \(/),
      'node-metric-raw/: versions run from v1 without gaps (published ones are never deleted); missing v2.avsc',
    ]);
  });
});
