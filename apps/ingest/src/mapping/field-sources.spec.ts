import type { SourceRow } from '../sources/files';
import { compileField, fromFileName } from './field-sources';
import type { FieldSpec } from './mapping-schema';

const row = (values: Record<string, unknown>, file = '/data/ec2_cpu_utilization_5f5533.csv'): SourceRow => ({
  values,
  position: { file, line: '2' },
  original: '',
});

describe('fromFileName', () => {
  const nab = /^(?<kind>[a-z0-9]+)_cpu_utilization_(?<id>[0-9a-f]+)\./;

  it('builds the value from named or numbered groups', () => {
    expect(fromFileName('ec2_cpu_utilization_5f5533.csv', nab, '$<kind>-$<id>')).toBe('ec2-5f5533');
    expect(fromFileName('rds_cpu_utilization_cc0c53.csv.gz', nab, '$1/$2 costs $$5')).toBe('rds/cc0c53 costs $5');
  });

  it('takes the first group, or the whole match, without a template', () => {
    expect(fromFileName('node-7.csv', /^(node-\d+)\.csv$/, undefined)).toBe('node-7');
    expect(fromFileName('node-7.csv', /node-\d+/, undefined)).toBe('node-7');
  });

  it('finds nothing when the name does not match', () => {
    expect(fromFileName('cpu_utilization_asg_misconfiguration.csv', nab, '$<kind>-$<id>')).toBeUndefined();
  });
});

describe('compileField', () => {
  it('passes a single column through as read, empty or not', () => {
    const value = compileField([{ column: 'v' }], {});
    expect(value(row({ v: ' 42.5 ' }))).toBe(' 42.5 ');
    expect(value(row({ v: '' }))).toBe('');
    expect(value(row({}))).toBeUndefined();
  });

  it('takes the first source that gives a value', () => {
    const spec: FieldSpec = [{ flag: 'nodeId' }, { column: 'host' }, { fileName: '_([0-9a-f]+)\\.csv$' }, { const: 'unknown' }];
    expect(compileField(spec, { nodeId: 'from-flag' })(row({ host: 'h1' }))).toBe('from-flag');
    expect(compileField(spec, {})(row({ host: 'h1' }))).toBe('h1');
    expect(compileField(spec, {})(row({ host: '' }))).toBe('5f5533');
    expect(compileField(spec, {})(row({}, '/data/other.csv'))).toBe('unknown');
  });

  it('falls back to the first source’s empty value when no source gives one', () => {
    expect(compileField([{ column: 'a' }, { column: 'b' }], {})(row({ a: '', b: '' }))).toBe('');
  });

  it('reads the file name once per file, not per row', () => {
    const value = compileField([{ fileName: '^(\\w+)\\.csv$' }], {});
    expect(value(row({}, '/d/a.csv'))).toBe('a');
    expect(value(row({}, '/d/a.csv'))).toBe('a');
    expect(value(row({}, '/d/b.csv'))).toBe('b');
  });
});
