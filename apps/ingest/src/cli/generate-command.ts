import { generate, writeDataset, type GeneratedRecord, type GeneratorOverrides } from '../generator';
import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import type { Ingestor } from '../writer/ingestor';

/** Records per Kafka transaction when generating straight into Kafka. */
const BATCH = 2_000;

export async function generateToFiles(dir: string, options: GeneratorOverrides, gzip: boolean): Promise<string> {
  const manifest = await writeDataset(dir, options, { gzip });
  return JSON.stringify(manifest, null, 2);
}

/**
 * Generates straight into Kafka, in emission order: metrics and metadata interleaved exactly as generated, so the
 * dataset's "metadata arrives after its metrics" nodes really do (replaying the two files one after the other would
 * not). Consecutive records of one kind go together in a batch.
 */
export async function generateToKafka(options: GeneratorOverrides, ingestor: Ingestor): Promise<{ metric: number; metadata: number }> {
  const run = generate(options);
  const sent = { metric: 0, metadata: 0 };
  let kind: GeneratedRecord['kind'] | undefined;
  let batch: Candidate<unknown>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (kind === 'metric') await ingestor.ingestMetrics(batch as Candidate<MetricFields>[], 'generator');
    else await ingestor.ingestMetadata(batch as Candidate<MetadataFields>[], 'generator');
    if (kind) sent[kind] += batch.length;
    batch = [];
  };
  for (const record of run) {
    if (record.kind !== kind || batch.length >= BATCH) {
      await flush();
      kind = record.kind;
    }
    batch.push(record.candidate);
  }
  await flush();
  return sent;
}
