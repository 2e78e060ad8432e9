import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Outcome } from '@meterline/stream';
import type { Candidate } from '../candidate';
import { sharedData } from '@meterline/testing';
import { tempDirForTests } from '../sources/files/test-support/temp-dir';
import { validateMetadata, validateMetric } from '../validate';
import { loadMapping } from './load-mapping';
import { mapFile } from './map-file';
import type { MetadataMapping, MetricsMapping } from './mapping-schema';

const tmp = tempDirForTests('map-file');

async function all<F>(file: { candidates(): AsyncIterable<Candidate<F>> }): Promise<Candidate<F>[]> {
  const out: Candidate<F>[] = [];
  for await (const c of file.candidates()) out.push(c);
  return out;
}

/** Non-empty lines of a text file, counted without any of the code under test. */
const lineCount = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').length;

const outcomeCodes = <T>(outcomes: Outcome<T>[]) =>
  outcomes.reduce<Record<string, number>>((acc, o) => {
    const key = o.kind === 'poison' ? o.error.code : o.kind;
    acc[key] = (acc[key] ?? 0) + 1;
    return acc;
  }, {});

const metricsMapping = async (name: string) => (await loadMapping(name)) as MetricsMapping;

describe('seed-metadata on k8s-seed/node_metadata.parquet.gz', () => {
  it('yields one valid metadata candidate per node: 33,583, with 387 instance types in 3 zones', async () => {
    const file = sharedData('k8s-seed', 'node_metadata.parquet.gz');
    const started = Date.now();
    const candidates = await all(await mapFile(file, (await loadMapping('seed-metadata')) as MetadataMapping));
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(`seed Parquet: ${candidates.length} rows in ${seconds.toFixed(2)} s = ${Math.round(candidates.length / seconds)} rows/s\n`);

    expect(candidates).toHaveLength(33_583);
    expect(candidates[0]).toEqual({
      fields: { node_id: '0002df03-845d-45c0-aa27-b3b8399be4c7', instance_type: 'n1-custom-4-12288', zone: 'us-east4-c' },
      position: { file, row: '0' },
      original: '{"id":"0002df03-845d-45c0-aa27-b3b8399be4c7","instance_type":"n1-custom-4-12288","zone":"us-east4-c"}',
    });
    const outcomes = candidates.map((c) => validateMetadata(c.fields, () => 0));
    expect(outcomeCodes(outcomes)).toEqual({ ok: 33_583 });
    // Facts the dataset's README states.
    expect(new Set(candidates.map((c) => c.fields.node_id)).size).toBe(33_583);
    expect(new Set(candidates.map((c) => c.fields.instance_type)).size).toBe(387);
    expect([...new Set(candidates.map((c) => c.fields.zone))].sort()).toEqual(['us-east4-a', 'us-east4-b', 'us-east4-c']);
  });
});

describe('nab-series on NAB CloudWatch series', () => {
  const file = () => sharedData('nab', 'realAWSCloudwatch', 'ec2_cpu_utilization_5f5533.csv');

  it('yields one valid metric per data line, 4,032, with the node id from the file name', async () => {
    const candidates = await all(await mapFile(file(), await metricsMapping('nab-series')));
    expect(candidates).toHaveLength(lineCount(file()) - 1);
    expect(candidates).toHaveLength(4_032);
    expect(candidates[0]).toEqual({
      fields: { node_id: 'ec2-5f5533', metric: 'cpu_utilization', unit: 'percent', value: '51.846000000000004', event_time: '2014-02-14 14:27:00' },
      position: { file: file(), line: '2' },
      original: '2014-02-14 14:27:00,51.846000000000004',
    });
    const outcomes = candidates.map((c) => validateMetric(c.fields, 'replay'));
    expect(outcomeCodes(outcomes)).toEqual({ ok: 4_032 });
    expect(outcomes[0]).toMatchObject({ kind: 'ok', values: [{ value: 51.846000000000004, event_time: Date.UTC(2014, 1, 14, 14, 27), unit: 'percent' }] });
  });

  it('takes the node id, metric and unit from flags when given', async () => {
    const mapping = await metricsMapping('nab-series');
    const latency = sharedData('nab', 'realKnownCause', 'ec2_request_latency_system_failure.csv');
    const candidates = await all(await mapFile(latency, mapping, { flags: { nodeId: 'web-7', metric: 'request_latency', unit: 'ms' } }));
    expect(candidates).toHaveLength(lineCount(latency) - 1);
    expect(candidates[0]?.fields).toMatchObject({ node_id: 'web-7', metric: 'request_latency', unit: 'ms' });
  });

  it('fails a file whose name carries no node id when no flag gives one', async () => {
    const asg = sharedData('nab', 'realKnownCause', 'cpu_utilization_asg_misconfiguration.csv');
    const mapped = await mapFile(asg, await metricsMapping('nab-series'));
    await expect(all(mapped)).rejects.toMatchObject({ code: 'MAPPING_NO_VALUE', message: expect.stringContaining('flag nodeId (not given)') });
  });
});

describe('cluster-pool on Cloud Cluster Capacity pool files', () => {
  it.each([
    ['cluster1', 'cluster1-dataseries-cpu-mem-202408_1.csv'],
    ['cluster13', 'cluster13-dataseries-cpu-mem-202408_1.csv'],
  ])('yields two valid metrics per line of %s', async (pool, name) => {
    const file = sharedData('cluster-capacity', pool, name);
    const candidates = await all(await mapFile(file, await metricsMapping('cluster-pool')));
    expect(candidates).toHaveLength(2 * lineCount(file));
    const outcomes = candidates.map((c) => validateMetric(c.fields, 'replay'));
    expect(outcomeCodes(outcomes)).toEqual({ ok: 2 * lineCount(file) });
    expect(new Set(candidates.map((c) => c.fields.node_id))).toEqual(new Set([pool]));
  });

  it('maps the first line of cluster1 to its CPU and memory samples', async () => {
    const file = sharedData('cluster-capacity', 'cluster1', 'cluster1-dataseries-cpu-mem-202408_1.csv');
    const candidates = await all(await mapFile(file, await metricsMapping('cluster-pool')));
    const common = { node_id: 'cluster1', event_time: '2024-08-26 21:51:30', unit: 'percent' };
    expect(candidates.slice(0, 2)).toEqual([
      {
        fields: { ...common, metric: 'cpu_utilization', value: '53.099995' },
        position: { file, line: '1', record: '1' },
        original: 'cluster1,2024-08-26 21:51:30,2024-08-26 21:52:00,53.099995,60.7244873046875',
      },
      {
        fields: { ...common, metric: 'memory_utilization', value: '60.7244873046875' },
        position: { file, line: '1', record: '2' },
        original: 'cluster1,2024-08-26 21:51:30,2024-08-26 21:52:00,53.099995,60.7244873046875',
      },
    ]);
  });

  it('lets a short row through as one rejected candidate, and the rows around it as usual', async () => {
    const file = join(tmp(), 'pool-with-a-short-row.csv');
    writeFileSync(file, 'cluster1,2024-08-26 21:51:30,,1.5,2.5\ncluster1,2024-08-26 21:52:00\ncluster1,2024-08-26 21:52:30,,3,4\n');
    const candidates = await all(await mapFile(file, await metricsMapping('cluster-pool')));
    expect(candidates.map((c) => [c.position['line'], c.problem?.code ?? c.fields.metric])).toEqual([
      ['1', 'cpu_utilization'],
      ['1', 'memory_utilization'],
      ['2', 'VALIDATION_COLUMN_COUNT'],
      ['3', 'cpu_utilization'],
      ['3', 'memory_utilization'],
    ]);
  });
});

describe('seed-metrics on files shaped like seed 000 metrics', () => {
  // The seed's metrics file was never published; these rows follow its columns (created_at, value, node_id,
  // capacity) and its export (pandas isoformat times), including a row without a node id.
  const rows = [
    ['2023-10-01T00:00:00', 2, '0002df03-845d-45c0-aa27-b3b8399be4c7', 4],
    ['2023-10-01T00:05:00+00:00', 3, '0002df03-845d-45c0-aa27-b3b8399be4c7', 4],
    ['2023-10-01T00:05:00', 1, null, 8],
  ] as const;

  it('maps a gzip CSV export, leaving the row without a node id for validation to reject', async () => {
    const csv = `created_at,value,node_id,capacity\n${rows.map((r) => r.map((v) => v ?? '').join(',')).join('\n')}\n`;
    const file = join(tmp(), 'metrics.csv.gz');
    writeFileSync(file, gzipSync(csv));
    const mapped = await mapFile(file, await metricsMapping('seed-metrics'), { flags: { unit: 'cores' } });
    expect(mapped).toMatchObject({ format: 'csv', gzip: true });
    const candidates = await all(mapped);
    expect(candidates[0]?.fields).toEqual({
      node_id: '0002df03-845d-45c0-aa27-b3b8399be4c7',
      metric: 'cpu_usage',
      value: '2',
      capacity: '4',
      unit: 'cores',
      event_time: '2023-10-01T00:00:00',
    });
    const outcomes = candidates.map((c) => validateMetric(c.fields, 'replay'));
    expect(outcomeCodes(outcomes)).toEqual({ ok: 2, VALIDATION_MISSING_FIELD: 1 });
    expect(outcomes[1]).toMatchObject({ kind: 'ok', values: [{ value: 3, capacity: 4, event_time: Date.UTC(2023, 9, 1, 0, 5) }] });
  });

  it('maps a gzip NDJSON export the same way, with JSON numbers', async () => {
    const ndjson = rows.map(([created_at, value, node_id, capacity]) => JSON.stringify({ created_at, value, node_id, capacity })).join('\n');
    const file = join(tmp(), 'metrics.json.gz');
    writeFileSync(file, gzipSync(ndjson));
    const mapped = await mapFile(file, await metricsMapping('seed-metrics'));
    expect(mapped).toMatchObject({ format: 'ndjson', gzip: true });
    const candidates = await all(mapped);
    expect(candidates[1]?.fields).toEqual({
      node_id: '0002df03-845d-45c0-aa27-b3b8399be4c7',
      metric: 'cpu_usage',
      value: 3,
      capacity: 4,
      event_time: '2023-10-01T00:05:00+00:00',
    });
    expect(outcomeCodes(candidates.map((c) => validateMetric(c.fields, 'replay')))).toEqual({ ok: 2, VALIDATION_MISSING_FIELD: 1 });
  });
});

describe('mapFile', () => {
  it('fails a file that lacks a column the mapping needs, naming what it has', async () => {
    const nab = sharedData('nab', 'realAWSCloudwatch', 'ec2_cpu_utilization_5f5533.csv');
    const mapped = await mapFile(nab, (await loadMapping('seed-metadata')) as MetadataMapping);
    await expect(all(mapped)).rejects.toMatchObject({
      kind: 'fatal',
      code: 'MAPPING_UNKNOWN_COLUMN',
      message: `${nab}: mapping seed-metadata needs column id, instance_type, zone, which the file does not have (it has timestamp, value)`,
    });
  });

  it('reports progress as it goes', async () => {
    const file = sharedData('nab', 'realAWSCloudwatch', 'rds_cpu_utilization_cc0c53.csv');
    const mapped = await mapFile(file, await metricsMapping('nab-series'));
    let batches = 0;
    for await (const batch of mapped.batches()) batches += batch.length > 0 ? 1 : 0;
    expect(batches).toBeGreaterThan(0);
    const size = readFileSync(file).length;
    expect(mapped.progress()).toEqual({ unit: 'bytes', done: size, total: size });
  });
});
