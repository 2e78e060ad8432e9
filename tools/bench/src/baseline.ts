import { isMeterlineError } from '@meterline/stream';
import { loadBenchConfig, usage } from './bench-config';
import { formatTable } from './report';
import { runBaseline } from './run-baseline';

/**
 * `npm run bench:baseline [-- --relay-records 50000 ...]`: the throughput and latency yardsticks later benchmarks are
 * compared with, as ratios. Progress goes to stderr; stdout is a table and, as its last line, one JSON object.
 */
async function main(argv: readonly string[]): Promise<number> {
  const config = loadBenchConfig(argv);
  if (config === 'help') {
    console.log(usage());
    return 0;
  }
  const result = await runBaseline(config, (line) => console.error(`bench: ${line}`));
  for (const line of formatTable(result)) console.log(line);
  console.log(JSON.stringify(result));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // Configuration and stack problems carry a message written for the reader; anything else keeps its stack trace.
    console.error(isMeterlineError(err) ? `bench: ${err.message}` : err);
    process.exitCode = 1;
  },
);
