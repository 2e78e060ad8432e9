import type { SourceRow } from '../sources/files';
import { applyMapping } from './apply-mapping';
import { compileMapping } from './compile-mapping';
import { parseMapping } from './load-mapping';
import type { MetadataMapping, MetricsMapping } from './mapping-schema';

const metrics = (json: object) => parseMapping({ produces: 'metrics', ...json }, 'test') as MetricsMapping;
const metadata = (json: object) => parseMapping({ produces: 'metadata', ...json }, 'test') as MetadataMapping;

const row = (values: Record<string, unknown>, line = 2, file = '/data/pool.csv'): SourceRow => ({
  values,
  position: { file, line: String(line) },
  original: Object.values(values).join(','),
});

const pool = metrics({
  csv: { header: false, columns: ['pool', 'ts', 'ts_end', 'cpu', 'mem'] },
  fields: { node_id: 'pool', event_time: 'ts', unit: { const: 'percent' }, labels: { dataset: { const: 'ccc' } } },
  records: [
    { metric: { const: 'cpu_utilization' }, value: 'cpu', labels: { resource: { const: 'cpu' } } },
    { metric: { const: 'memory_utilization' }, value: 'mem' },
  ],
});

describe('compileMapping', () => {
  it('maps a row field by field, keeping values as read', () => {
    const mapping = metrics({ fields: { node_id: 'node_id', metric: { const: 'cpu_usage' }, value: 'value', capacity: 'capacity', event_time: 'created_at' } });
    const input = row({ created_at: '2024-01-01T00:00:00+00:00', value: '12', node_id: 'n-1', capacity: '' });
    expect(compileMapping(mapping).mapRow(input)).toEqual([
      {
        fields: { node_id: 'n-1', metric: 'cpu_usage', value: '12', capacity: '', event_time: '2024-01-01T00:00:00+00:00' },
        position: { file: '/data/pool.csv', line: '2' },
        original: '2024-01-01T00:00:00+00:00,12,n-1,',
      },
    ]);
  });

  it('makes one candidate per record of a wide row, told apart by their place in the mapping', () => {
    const input = row({ pool: 'cluster1', ts: '2024-08-26 21:52:00', ts_end: '', cpu: '53.099995', mem: '60.724487' }, 3);
    expect(compileMapping(pool).mapRow(input)).toEqual([
      {
        fields: {
          node_id: 'cluster1',
          event_time: '2024-08-26 21:52:00',
          unit: 'percent',
          metric: 'cpu_utilization',
          value: '53.099995',
          labels: { dataset: 'ccc', resource: 'cpu' },
        },
        position: { file: '/data/pool.csv', line: '3', record: '1' },
        original: input.original,
      },
      {
        fields: {
          node_id: 'cluster1',
          event_time: '2024-08-26 21:52:00',
          unit: 'percent',
          metric: 'memory_utilization',
          value: '60.724487',
          labels: { dataset: 'ccc' },
        },
        position: { file: '/data/pool.csv', line: '3', record: '2' },
        original: input.original,
      },
    ]);
  });

  it('leaves out labels whose value is empty, and a field whose column is absent', () => {
    const mapping = metrics({
      fields: { node_id: 'n', metric: { const: 'm' }, value: 'v', event_time: 't', capacity: 'cap', labels: { rack: 'rack', zone: 'zone' } },
    });
    const [candidate] = compileMapping(mapping).mapRow(row({ n: 'a', v: '1', t: '1', rack: '', zone: 'z1' }));
    expect(candidate?.fields).toEqual({ node_id: 'a', metric: 'm', value: '1', event_time: '1', labels: { zone: 'z1' } });
  });

  it('passes JSON types through untouched', () => {
    const mapping = metadata({ fields: { node_id: 'id', zone: 'zone', deleted: 'gone', labels: { cores: 'cores' } } });
    const [candidate] = compileMapping(mapping).mapRow(row({ id: 'n1', zone: null, gone: true, cores: 8 }));
    expect(candidate?.fields).toEqual({ node_id: 'n1', zone: null, deleted: true, labels: { cores: 8 } });
  });

  it('turns a row that could not be read into one candidate carrying the problem, whatever the records', () => {
    const broken: SourceRow = {
      values: {},
      position: { file: '/data/pool.csv', line: '9' },
      original: 'cluster1,2024-08-26',
      problem: { code: 'VALIDATION_COLUMN_COUNT', message: 'expected 5 columns (pool, ts, ts_end, cpu, mem), got 2' },
    };
    expect(compileMapping(pool).mapRow(broken)).toEqual([
      {
        fields: {},
        position: { file: '/data/pool.csv', line: '9' },
        original: 'cluster1,2024-08-26',
        problem: { code: 'VALIDATION_COLUMN_COUNT', message: 'expected 5 columns (pool, ts, ts_end, cpu, mem), got 2' },
      },
    ]);
  });

  it('takes the node id from the file name unless a flag gives it', () => {
    const nab = metrics({
      fields: {
        node_id: [{ flag: 'nodeId' }, { fileName: '^(?<kind>[a-z0-9]+)_cpu_utilization_(?<id>[0-9a-f]+)\\.', replace: '$<kind>-$<id>' }],
        metric: { const: 'cpu_utilization' },
        value: 'value',
        event_time: 'timestamp',
      },
    });
    const input = row({ timestamp: '2014-02-14 14:27:00', value: '51.846000000000004' }, 2, '/nab/ec2_cpu_utilization_5f5533.csv');
    expect(compileMapping(nab).mapRow(input)[0]?.fields).toMatchObject({ node_id: 'ec2-5f5533' });
    expect(compileMapping(nab, { flags: { nodeId: 'web-1' } }).mapRow(input)[0]?.fields).toMatchObject({ node_id: 'web-1' });
  });

  it('fails a file whose name gives no node id, before any of its rows, saying what it tried', () => {
    const nab = metrics({
      fields: { node_id: [{ flag: 'nodeId' }, { fileName: '_([0-9a-f]{6})\\.csv$' }], metric: { const: 'm' }, value: 'value', event_time: 'timestamp' },
    });
    const mapper = compileMapping(nab);
    expect(() => mapper.mapRow(row({ value: '1', timestamp: '1' }, 2, '/nab/cpu_utilization_asg_misconfiguration.csv'))).toThrow(
      expect.objectContaining({
        kind: 'fatal',
        code: 'MAPPING_NO_VALUE',
        message:
          '/nab/cpu_utilization_asg_misconfiguration.csv: mapping test finds no node_id for cpu_utilization_asg_misconfiguration.csv: it tried flag nodeId (not given), then file name /_([0-9a-f]{6})\\.csv$/ (no match)',
      }),
    );
  });

  it('refuses a flag the mapping does not read, naming the ones it does', () => {
    const mapping = metrics({ fields: { node_id: [{ flag: 'nodeId' }, 'host'], metric: { const: 'm' }, value: 'v', event_time: 't', unit: { flag: 'unit' } } });
    expect(() => compileMapping(mapping, { flags: { nodeid: 'x' } })).toThrow(
      expect.objectContaining({ code: 'MAPPING_UNKNOWN_FLAG', message: 'mapping test does not read the flag nodeid (it reads nodeId, unit)' }),
    );
  });

  it('maps a batch of rows in order', () => {
    const rows = [row({ pool: 'a', ts: '1', ts_end: '', cpu: '1', mem: '2' }), row({ pool: 'b', ts: '2', ts_end: '', cpu: '3', mem: '4' })];
    expect(compileMapping(pool).mapRows(rows).map((c) => c.fields.value)).toEqual(['1', '2', '3', '4']);
  });
});

describe('applyMapping', () => {
  it('maps rows one at a time from any iterable', async () => {
    const rows = [row({ pool: 'a', ts: '1', ts_end: '', cpu: '1', mem: '2' })];
    const out: unknown[] = [];
    for await (const candidate of applyMapping(pool, rows)) out.push(candidate.fields.metric);
    expect(out).toEqual(['cpu_utilization', 'memory_utilization']);
  });
});
