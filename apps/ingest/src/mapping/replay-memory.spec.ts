import { createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGzip } from 'node:zlib';
import { tempDirForTests } from '../sources/files/test-support/temp-dir';
import { loadMapping } from './load-mapping';
import { mapFile } from './map-file';
import type { MetricsMapping } from './mapping-schema';

const tmp = tempDirForTests('big-file');

const MB = 1024 * 1024;

/**
 * What stays reachable, not what happens to be uncollected: heapUsed right after a full collection. Sampling heapUsed
 * without one measures the collector's timing (on a busy CI machine it lagged to 370 MB), not the reader's memory.
 * The test asserts growth over a baseline taken just before the replay: a jest worker keeps whatever the suites it ran
 * earlier left reachable (CI saw 168 MB retained in all), and that is not the reader's either.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/**
 * Writes about `bytes` of seed-shaped metric rows as gzip, returning the row count. One block of distinct rows is
 * repeated: generating 300 MB row by row would take longer than reading it, and the reader does the same work.
 */
async function generate(file: string, bytes: number): Promise<{ rows: number; bytes: number }> {
  const base = Date.UTC(2024, 0, 1);
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    lines.push(`${new Date(base + i * 1000).toISOString()},${i % 997},node-${(i % 5000).toString().padStart(5, '0')},${4 + (i % 3) * 4}\n`);
  }
  const block = Buffer.from(lines.join(''));
  const gzip = createGzip({ level: 1 });
  const done = once(gzip.pipe(createWriteStream(file)), 'finish');
  gzip.write('created_at,value,node_id,capacity\n');
  let written = 0;
  let rows = 0;
  while (written < bytes) {
    if (!gzip.write(block)) await once(gzip, 'drain');
    written += block.length;
    rows += lines.length;
  }
  gzip.end();
  await done;
  return { rows, bytes: written };
}

describe('replaying a gzip CSV larger than any buffer', () => {
  it('maps every row while the heap stays flat', async () => {
    const file = join(tmp(), 'big.csv.gz');
    // 160 MB: beyond the heap bound below and every buffer (256 KiB reads, 64 KiB gunzip output, 1 MiB lines), yet
    // quick enough on a 2-core machine; a file read whole would hold several times the bound in strings alone.
    const { rows, bytes } = await generate(file, 160 * MB);

    const baseline = retainedHeap();
    const started = Date.now();
    const mapped = await mapFile(file, (await loadMapping('seed-metrics')) as MetricsMapping);
    let count = 0;
    let peakHeap = 0;
    let nextSample = 0;
    for await (const batch of mapped.batches()) {
      count += batch.length;
      if (count >= nextSample) {
        peakHeap = Math.max(peakHeap, retainedHeap() - baseline);
        nextSample += 500_000;
      }
    }
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `replay of a big CSV: ${rows} rows, ${(bytes / MB).toFixed(0)} MB of CSV (${(statSync(file).size / MB).toFixed(0)} MB gzip) in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s, retained heap grew by at most ${(peakHeap / MB).toFixed(0)} MB over the ${(baseline / MB).toFixed(0)} MB before it\n`,
    );
    expect(count).toBe(rows);
    expect(peakHeap).toBeLessThan(64 * MB);
  }, 120_000);
});
