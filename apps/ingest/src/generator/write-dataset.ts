import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from './generate';
import { datasetFiles, type WrittenManifest } from './manifest';
import { openNdjsonSink } from './ndjson-sink';
import type { GeneratorOverrides } from './options';

export interface OutputOptions {
  /** Write `metrics.ndjson.gz` and `metadata.ndjson.gz` instead of plain NDJSON. */
  readonly gzip?: boolean;
}

/**
 * Generates a dataset into `dir`: `metrics.ndjson`, `metadata.ndjson` (each line the `original` of one candidate, in
 * emission order) and `manifest.json`. The manifest is written last, so a directory without one is an interrupted run.
 */
export async function writeDataset(
  dir: string,
  options: GeneratorOverrides = {},
  output: OutputOptions = {},
): Promise<WrittenManifest> {
  const run = generate(options);
  const gzip = output.gzip ?? false;
  const suffix = gzip ? '.gz' : '';
  await mkdir(dir, { recursive: true });
  const metrics = openNdjsonSink(join(dir, datasetFiles.metrics + suffix), gzip);
  const metadata = openNdjsonSink(join(dir, datasetFiles.metadata + suffix), gzip);
  try {
    for (const record of run) {
      const wait = (record.kind === 'metric' ? metrics : metadata).write(record.candidate.original);
      if (wait) await wait;
    }
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    metrics.destroy(cause);
    metadata.destroy(cause);
    throw cause;
  }
  const [metricsFile, metadataFile] = await Promise.all([metrics.close(), metadata.close()]);
  const manifest: WrittenManifest = {
    ...run.manifest(),
    compression: gzip ? 'gzip' : 'none',
    files: { metrics: metricsFile, metadata: metadataFile },
  };
  await writeFile(join(dir, datasetFiles.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
