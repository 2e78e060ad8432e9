import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { GeneratorOverrides } from './options';
import { writeDataset } from './write-dataset';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const small: GeneratorOverrides = { nodes: 8, durationMs: 2 * 3_600_000, metadataUpdates: 1 };

describe('writeDataset', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'meterline-generate-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });
  const dir = (name: string) => join(root, name);
  const read = (path: string) => readFile(path);

  it('writes metrics, metadata and a manifest whose counts and digests describe the files', async () => {
    const manifest = await writeDataset(dir('plain'), small);
    expect((await readdir(dir('plain'))).sort()).toEqual(['manifest.json', 'metadata.ndjson', 'metrics.ndjson']);
    const metrics = await read(join(dir('plain'), 'metrics.ndjson'));
    const metadata = await read(join(dir('plain'), 'metadata.ndjson'));
    expect(metrics.toString().split('\n')).toHaveLength(manifest.records.metric + 1); // each line ends with \n
    expect(metadata.toString().split('\n')).toHaveLength(manifest.records.metadata + 1);
    expect(manifest.files).toEqual({
      metrics: { path: 'metrics.ndjson', records: manifest.records.metric, sha256: sha256(metrics) },
      metadata: { path: 'metadata.ndjson', records: manifest.records.metadata, sha256: sha256(metadata) },
    });
    expect(JSON.parse((await read(join(dir('plain'), 'manifest.json'))).toString())).toEqual(manifest);
  });

  it('writes lines a replay maps back with field names alone', async () => {
    await writeDataset(dir('shape'), small);
    const [metric] = (await read(join(dir('shape'), 'metrics.ndjson'))).toString().split('\n');
    const [metadata] = (await read(join(dir('shape'), 'metadata.ndjson'))).toString().split('\n');
    expect(JSON.parse(metric ?? '')).toEqual({
      node_id: expect.stringMatching(/^ip-10-\d+-\d+-\d+\.eu-west-1\.compute\.internal$/),
      metric: 'cpu_usage',
      value: expect.any(Number),
      capacity: expect.any(Number),
      unit: 'cores',
      event_time: '2024-08-26T06:00:00.000Z',
      labels: { cluster: 'meterline-demo' },
    });
    expect(JSON.parse(metadata ?? '')).toEqual({
      node_id: expect.any(String),
      instance_type: expect.any(String),
      zone: expect.stringMatching(/^eu-west-1[abc]$/),
      labels: expect.objectContaining({ 'kubernetes.io/os': 'linux' }),
      updated_at: '2024-08-26T06:00:00.000Z',
    });
  });

  it('writes identical bytes for the same seed, and different ones for another seed', async () => {
    const a = await writeDataset(dir('a'), { ...small, seed: 3 });
    const b = await writeDataset(dir('b'), { ...small, seed: 3 });
    const c = await writeDataset(dir('c'), { ...small, seed: 4 });
    for (const file of ['metrics.ndjson', 'metadata.ndjson', 'manifest.json']) {
      expect(sha256(await read(join(dir('b'), file)))).toBe(sha256(await read(join(dir('a'), file))));
    }
    expect(b.files).toEqual(a.files);
    expect(c.files.metrics.sha256).not.toBe(a.files.metrics.sha256);
  });

  it('gzips on request, with the same content and digests as the plain files', async () => {
    const plain = await writeDataset(dir('same'), small);
    const gzipped = await writeDataset(dir('gz'), small, { gzip: true });
    expect(gzipped.compression).toBe('gzip');
    expect(gzipped.files.metrics.path).toBe('metrics.ndjson.gz');
    const content = gunzipSync(await read(join(dir('gz'), 'metrics.ndjson.gz')));
    expect(content.equals(await read(join(dir('same'), 'metrics.ndjson')))).toBe(true);
    expect(gzipped.files.metrics.sha256).toBe(plain.files.metrics.sha256);
    expect(gzipped.files.metadata.sha256).toBe(plain.files.metadata.sha256);
  });

  it('reproduces the pinned digests of the demo dataset, so any change to its bytes is deliberate', async () => {
    // If this fails after an intended change to the generator, bump generatorVersion and pin the new digests:
    // datasets already written by the old version stay reproducible only with the old code.
    const manifest = await writeDataset(dir('demo'));
    expect(manifest.generator).toBe('meterline-generate/1');
    expect({ metrics: manifest.files.metrics.sha256, metadata: manifest.files.metadata.sha256 }).toEqual({
      metrics: 'ea7973f769257b08070ddbc032f7af9e0f3b1c0968200eaa3b56711fea20e773',
      metadata: '6cb71dcad30ded7df53dc189aca872b51b89d6d8ff2afff5f8b350b81244eb9b',
    });
  });

  it('refuses invalid options before it creates anything', async () => {
    await expect(writeDataset(dir('never'), { nodes: -1 })).rejects.toThrow('nodes must be an integer');
    await expect(readdir(dir('never'))).rejects.toThrow('ENOENT');
  });
});
