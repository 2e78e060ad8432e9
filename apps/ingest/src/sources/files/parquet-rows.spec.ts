import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { openFile } from './open-file';
import type { SourceRow } from './source-row';
import { writeParquet } from './test-support/parquet-writer';
import { sharedData } from '@meterline/testing';
import { tempDirForTests } from './test-support/temp-dir';

const tmp = tempDirForTests('parquet');

/** Three row groups of 4, 4 and 2 rows. */
function fixture(corruptGroups: number[] = []): string {
  const file = join(tmp(), `groups-${corruptGroups.join('-')}.bin`);
  writeFileSync(
    file,
    writeParquet({
      rowGroupSize: 4,
      corruptGroups,
      columns: [
        { name: 'node', type: 'string', values: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'] },
        { name: 'bytes', type: 'int64', values: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 9007199254740993n] },
        { name: 'cpu', type: 'double', values: [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] },
      ],
    }),
  );
  return file;
}

async function collect(rows: AsyncIterable<SourceRow>, into: SourceRow[] = []): Promise<SourceRow[]> {
  for await (const row of rows) into.push(row);
  return into;
}

describe('Parquet files', () => {
  it('reads every row of every row group in order, numbering rows from 0', async () => {
    const file = fixture();
    const opened = await openFile(file);
    expect(opened.format).toBe('parquet');
    expect(opened.columns()).toEqual(['node', 'bytes', 'cpu']);
    const rows = await collect(opened.rows());
    expect(rows.map((r) => r.values['node'])).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    expect(rows[5]).toEqual({
      values: { node: 'f', bytes: 6, cpu: 3 },
      position: { file, row: '5' },
      original: '{"node":"f","bytes":6,"cpu":3}',
    });
    expect(opened.progress()).toEqual({ unit: 'rows', done: 10, total: 10 });
  });

  it('keeps a 64-bit integer beyond 2^53 exact, as decimal text', async () => {
    const rows = await collect((await openFile(fixture())).rows());
    expect(rows[9]?.values['bytes']).toBe('9007199254740993');
  });

  it('hands on the rows of earlier row groups before it decodes a later one', async () => {
    // Were the file read whole, the broken third group would fail it before any row came out.
    const file = fixture([2]);
    const seen: SourceRow[] = [];
    await expect(collect((await openFile(file)).rows(), seen)).rejects.toMatchObject({ code: 'REPLAY_FILE_CORRUPT' });
    expect(seen.map((r) => r.values['node'])).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it('reads a file that is not Parquet at all but starts with PAR1 as a corrupt file, naming it', async () => {
    const file = join(tmp(), 'fake.parquet');
    writeFileSync(file, 'PAR1 and then nothing a Parquet footer could be');
    await expect(openFile(file)).rejects.toMatchObject({ code: 'REPLAY_FILE_CORRUPT', message: expect.stringContaining(file) });
  });
});

describe('the seed node table (k8s-seed/node_metadata.parquet.gz)', () => {
  const seed = sharedData('k8s-seed', 'node_metadata.parquet.gz');

  it('is read as Parquet although its name ends in .gz', async () => {
    const opened = await openFile(seed);
    expect(opened).toMatchObject({ format: 'parquet', gzip: false });
    expect(opened.columns()).toEqual(['id', 'instance_type', 'zone']);
  });

  it('yields as many rows as its footer declares, each as hyparquet reads that row on its own', async () => {
    const rows = await collect((await openFile(seed)).rows());
    // The count the data's README states, and the footer's own count, read through a different call.
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(seed));
    expect(rows).toHaveLength(33_583);
    expect(Number(metadata.num_rows)).toBe(33_583);

    expect(rows[0]?.values).toEqual({ id: '0002df03-845d-45c0-aa27-b3b8399be4c7', instance_type: 'n1-custom-4-12288', zone: 'us-east4-c' });
    expect(rows[33_582]?.values).toEqual({ id: 'fff83fd8-c1cf-4cbd-bc25-a9aa168627fc', instance_type: 'n1-custom-4-12288', zone: 'us-east4-c' });
    const file = await asyncBufferFromFile(seed);
    for (const index of [0, 16_791, 33_582]) {
      const [alone] = await parquetReadObjects({ file, rowStart: index, rowEnd: index + 1, compressors });
      expect(rows[index]?.values).toEqual(alone);
      expect(rows[index]?.position).toEqual({ file: seed, row: String(index) });
    }
  });
});
