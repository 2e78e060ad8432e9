import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirForTests } from '../sources/files/test-support/temp-dir';
import { builtinMappingNames } from './builtin-mappings';
import { loadMapping, parseMapping } from './load-mapping';
import { MappingError } from './mapping-error';

const tmp = tempDirForTests('mappings');

function problemsOf(json: unknown): readonly string[] {
  try {
    parseMapping(json, 'test');
  } catch (err) {
    if (err instanceof MappingError) return err.problems;
    throw err;
  }
  throw new Error('expected a MappingError');
}

const valid = {
  produces: 'metrics',
  fields: { node_id: 'host', metric: { const: 'cpu' }, value: 'v', event_time: 't' },
};

describe('loadMapping', () => {
  it.each(['seed-metrics', 'seed-metadata', 'nab-series', 'cluster-pool'])('loads the built-in mapping %s by name', async (name) => {
    const mapping = await loadMapping(name);
    expect(mapping.name).toBe(name);
  });

  it('lists the built-in mappings', () => {
    expect(builtinMappingNames()).toEqual(['cluster-pool', 'nab-series', 'seed-metadata', 'seed-metrics']);
  });

  it('loads a mapping file by path and names it after the file', async () => {
    const file = join(tmp(), 'my-hosts.json');
    writeFileSync(file, JSON.stringify({ ...valid, csv: { delimiter: ';' } }));
    const mapping = await loadMapping(file);
    expect(mapping).toMatchObject({ name: 'my-hosts', produces: 'metrics', csv: { delimiter: ';' } });
    expect(mapping.fields.node_id).toEqual([{ column: 'host' }]);
  });

  it('says which names exist when asked for one that does not', async () => {
    await expect(loadMapping('seed-metric')).rejects.toThrow(
      'no built-in mapping is called "seed-metric" (there are: cluster-pool, nab-series, seed-metadata, seed-metrics)',
    );
  });

  it('names the file when it is missing or not JSON', async () => {
    const missing = join(tmp(), 'missing.json');
    await expect(loadMapping(missing)).rejects.toMatchObject({ code: 'MAPPING_INVALID', message: expect.stringContaining(missing) });
    const broken = join(tmp(), 'broken.json');
    writeFileSync(broken, '{ "produces": "metrics", }');
    await expect(loadMapping(broken)).rejects.toThrow(new RegExp(`^mapping ${broken} \\(1 problem\\):\\n  is not valid JSON`));
  });

  it('reports every mistake of a file at once, with the file name', async () => {
    const file = join(tmp(), 'three-mistakes.json');
    writeFileSync(
      file,
      JSON.stringify({
        produces: 'metrics',
        csv: { delimeter: ';' },
        fields: { node_id: { fileName: '([a-z' }, metric: { const: 'cpu' }, value: 'v' },
      }),
    );
    const error = await loadMapping(file).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MappingError);
    expect((error as MappingError).kind).toBe('fatal');
    expect((error as MappingError).message).toBe(
      [
        `mapping ${file} (3 problems):`,
        '  csv: Unrecognized key: "delimeter"',
        '  fields.node_id.fileName: not a regular expression: Invalid regular expression: /([a-z/: Unterminated character class',
        '  fields.event_time: not mapped; every metric needs one',
      ].join('\n'),
    );
  });
});

describe('parseMapping', () => {
  it('accepts a source as a bare column name, an object, or a list tried in order', () => {
    const mapping = parseMapping(
      { ...valid, fields: { ...valid.fields, node_id: [{ flag: 'nodeId' }, 'host', { fileName: '^(\\w+)\\.csv$' }] } },
      'm',
    );
    expect(mapping.fields.node_id).toEqual([{ flag: 'nodeId' }, { column: 'host' }, { fileName: '^(\\w+)\\.csv$' }]);
  });

  it.each([
    ['a source naming two kinds', { value: { column: 'v', const: 1 } }, 'fields.value: name exactly one of column, const, fileName, flag (got column and const)'],
    ['a source naming none', { value: {} }, 'fields.value: name exactly one of column, const, fileName, flag (got none)'],
    ['replace without fileName', { value: { column: 'v', replace: '$1' } }, 'fields.value.replace: "replace" only goes with "fileName"'],
    ['a number where a source belongs', { value: 3 }, 'fields.value: expected a column name or an object naming a source'],
    ['an unknown field', { nodeid: 'x' }, 'fields: Unrecognized key: "nodeid"'],
    ['a bad flag name', { node_id: { flag: 'node id' } }, 'fields.node_id.flag: a flag name is a letter, then letters, digits, "-" or "_"'],
    ['an empty list', { value: [] }, 'fields.value: name at least one source'],
    ['a column named like a member of every object', { value: 'constructor' }, 'fields.value.column: "constructor" cannot be a column name (every JavaScript object has a member of that name)'],
  ])('reports %s where it is', (_what, change, problem) => {
    expect(problemsOf({ ...valid, fields: { ...valid.fields, ...change } })).toEqual([problem]);
  });

  it('points into a list of sources, and says both what is unknown and what is missing there', () => {
    expect(problemsOf({ ...valid, fields: { ...valid.fields, node_id: ['host', { colum: 'h' }] } })).toEqual([
      'fields.node_id[1]: Unrecognized key: "colum"',
      'fields.node_id[1]: name exactly one of column, const, fileName, flag (got none)',
    ]);
  });

  it('requires what every record needs, in fields or in every one of the records', () => {
    expect(problemsOf({ produces: 'metrics', fields: { node_id: 'n' }, records: [{ value: 'a', metric: { const: 'a' } }, { value: 'b' }] })).toEqual([
      'fields.metric: not mapped; every metric needs one (in "fields", or in every one of "records")',
      'fields.event_time: not mapped; every metric needs one (in "fields", or in every one of "records")',
    ]);
    expect(problemsOf({ produces: 'metadata', fields: { zone: 'z' } })).toEqual(['fields.node_id: not mapped; every metadata record needs one']);
  });

  it('checks column names against the names a headerless file is given', () => {
    const mapping = { ...valid, csv: { header: false, columns: ['host', 'v', 't'] }, fields: { ...valid.fields, labels: { rack: 'rack' } } };
    expect(problemsOf(mapping)).toEqual(['fields.labels.rack: column "rack" is not one of csv.columns (host, v, t)']);
    expect(problemsOf({ ...valid, csv: { header: false } })).toEqual([
      'fields.node_id: a headerless file without csv.columns names its columns by position ("0", "1", ...), not "host"',
      'fields.value: a headerless file without csv.columns names its columns by position ("0", "1", ...), not "v"',
      'fields.event_time: a headerless file without csv.columns names its columns by position ("0", "1", ...), not "t"',
    ]);
  });

  it('rejects what it does not produce, and CSV options that cannot work', () => {
    expect(problemsOf({ ...valid, produces: 'logs' })).toEqual(['produces: expected "produces": "metrics" or "metadata"']);
    expect(problemsOf({ ...valid, csv: { delimiter: '"' } })).toEqual(['csv.delimiter: cannot be a quote or a line break']);
    expect(problemsOf({ ...valid, csv: { delimiter: ', ' } })).toEqual(['csv.delimiter: expected one character']);
  });

  it('does not allow records for metadata', () => {
    expect(problemsOf({ produces: 'metadata', fields: { node_id: 'id' }, records: [] })).toEqual(['(top level): Unrecognized key: "records"']);
  });
});
