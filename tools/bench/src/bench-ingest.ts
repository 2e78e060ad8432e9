import { parseArgs } from 'node:util';
import { isMeterlineError } from '@meterline/stream';
import { runIngestBench, type IngestBenchResult } from './ingest/run-ingest';

/**
 * `npm run bench:ingest [-- --requests 400 --clients 8 --batch 500]`: ingest's HTTP API against the no-op produce
 * baseline measured in the same run. Progress goes to stderr; stdout is a table and, as its last line, one JSON object.
 */
async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      batch: { type: 'string', default: '500' },
      requests: { type: 'string', default: '400' },
      clients: { type: 'string', default: '8' },
      'baseline-records': { type: 'string', default: '100000' },
      'replay-records': { type: 'string', default: '200000' },
    },
  });
  const result = await runIngestBench(
    {
      batch: Number(values.batch),
      requests: Number(values.requests),
      clients: Number(values.clients),
      baselineRecords: Number(values['baseline-records']),
      replayRecords: Number(values['replay-records']),
    },
    (line) => console.error(`bench: ${line}`),
  );
  for (const line of table(result)) console.log(line);
  console.log(JSON.stringify(result));
}

function table(r: IngestBenchResult): string[] {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const l = r.http.latency;
  return [
    `Meterline ingest ${r.runId}: node ${r.node}`,
    '',
    'measurement                                    records  records/s  latency ms p50 / p99 / max',
    `baseline: AvroProducer.send, ${r.options.batch}/send         ${n(r.baseline.records).padStart(8)} ${n(r.baseline.recordsPerSec).padStart(10)}`,
    `HTTP POST /v1/metrics, ${r.options.batch}/request, ${r.options.clients} clients ${n(r.http.records).padStart(8)} ${n(r.http.recordsPerSec).padStart(10)}  ${l.p50Ms.toFixed(1)} / ${l.p99Ms.toFixed(1)} / ${l.maxMs.toFixed(1)}`,
    `HTTP open loop at ${n(r.targets.httpRecordsPerSec)} records/s            ${n(r.httpAtTarget.records).padStart(8)} ${n(r.httpAtTarget.recordsPerSec).padStart(10)}  ${r.httpAtTarget.latency.p50Ms.toFixed(1)} / ${r.httpAtTarget.latency.p99Ms.toFixed(1)} / ${r.httpAtTarget.latency.maxMs.toFixed(1)}`,
    `replay (CLI, NDJSON, native-metrics)          ${n(r.replay.records).padStart(8)} ${n(r.replay.recordsPerSec).padStart(10)}`,
    '',
    `ratio HTTP / produce baseline:   ${r.ratios.httpVsProduce}   (target: >= ${n(r.targets.httpRecordsPerSec)} records/s with p99 < ${r.targets.httpP99Ms} ms)`,
    `ratio replay / produce baseline: ${r.ratios.replayVsProduce}   (target: >= ${r.targets.replayVsProduce})`,
    `failed requests: ${JSON.stringify(r.http.failures)}`,
  ];
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(isMeterlineError(err) ? `bench: ${err.message}` : err);
  process.exitCode = 1;
});
