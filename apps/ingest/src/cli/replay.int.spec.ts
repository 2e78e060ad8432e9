import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRawMessages, readRecords } from '@meterline/kafka';
import { sharedData } from '@meterline/testing';
import { ingestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { replay, type ReplayOptions } from './replay-command';

const quietOut = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
const run = (h: IngestHarness, options: Omit<ReplayOptions, 'flags' | 'pace' | 'loop'> & Partial<ReplayOptions>) => {
  if (!h.ingestor) throw new Error('no ingestor');
  return replay({ flags: {}, pace: { kind: 'max' }, loop: false, ...options }, h.ingestor, quietOut, () => false);
};
/** Data lines of a CSV, counted without our reader. */
const dataLines = (text: string, header: boolean) => text.split('\n').filter((l) => l.trim() !== '').length - (header ? 1 : 0);

describe('ingest replay of real datasets', () => {
  let h: IngestHarness;
  let dir: string;

  beforeEach(async () => {
    h = await ingestHarness('ingest-replay');
    dir = mkdtempSync(path.join(tmpdir(), 'meterline-replay-'));
  });

  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('produces exactly 33,583 metadata records from the seed node table', async () => {
    const counts = await run(h, { inputs: [sharedData('k8s-seed', 'node_metadata.parquet.gz')], mapping: 'seed-metadata' });
    expect(counts).toMatchObject({ read: 33_583, produced: 33_583 });
    const records = await readRecords(h.kafka, h.reader, h.topics.metadata, 33_583, { timeoutMs: 60_000 });
    expect(records).toHaveLength(33_583);
    expect(new Set(records.map((r) => r.key)).size).toBe(33_583);
    expect(new Set(records.map((r) => r.value?.zone))).toEqual(new Set(['us-east4-a', 'us-east4-b', 'us-east4-c']));
  });

  it('produces a NAB series row for row, minus the broken rows, which land in the DLQ with their reasons', async () => {
    const original = readFileSync(sharedData('nab', 'realAWSCloudwatch', 'ec2_cpu_utilization_5f5533.csv'), 'utf8');
    const broken = ['2014-02-20 00:00:00,not-a-number', 'yesterday,1.5', '2014-02-20 00:10:00'];
    const file = path.join(dir, 'ec2_cpu_utilization_5f5533.csv');
    writeFileSync(file, `${original.trimEnd()}\n${broken.join('\n')}\n`);
    const rows = dataLines(original, true) + broken.length;

    const counts = await run(h, { inputs: [file], mapping: 'nab-series' });
    expect(counts.read).toBe(rows);
    expect(counts.produced).toBe(rows - broken.length);
    const records = await readRecords(h.kafka, h.reader, h.topics.metrics, rows - broken.length);
    expect(records).toHaveLength(rows - broken.length);
    expect(new Set(records.map((r) => r.value.node_id))).toEqual(new Set(['ec2-5f5533']));

    const letters = await readRawMessages(h.kafka, h.topics.metrics.dlq, broken.length);
    expect(letters.map((l) => l.headers['error.code']).sort()).toEqual(
      ['VALIDATION_BAD_TIMESTAMP', 'VALIDATION_COLUMN_COUNT', 'VALIDATION_NOT_FINITE'].sort(),
    );
    expect(letters.map((l) => String(l.value)).sort()).toEqual([...broken].sort());
  });

  it('turns each row of a headerless pool CSV into two metrics', async () => {
    const folder = sharedData('cluster-capacity', 'cluster13');
    const name = readdirSync(folder).find((f) => f.includes('dataseries-cpu-mem'));
    if (!name) throw new Error(`no pool CSV in ${folder}`);
    const csv = path.join(folder, name);
    const rows = dataLines(readFileSync(csv, 'utf8'), false);
    const counts = await run(h, { inputs: [csv], mapping: 'cluster-pool' });
    expect(counts).toMatchObject({ read: 2 * rows, produced: 2 * rows });
    const records = await readRecords(h.kafka, h.reader, h.topics.metrics, 2 * rows, { timeoutMs: 60_000 });
    expect(records).toHaveLength(2 * rows);
    const byMetric = new Map<string, number>();
    for (const r of records) byMetric.set(r.value.metric, (byMetric.get(r.value.metric) ?? 0) + 1);
    expect(Object.fromEntries(byMetric)).toEqual({ cpu_utilization: rows, memory_utilization: rows });
  });
});
