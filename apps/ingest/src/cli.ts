import { parseArgs } from 'node:util';
import { baseEnv, loadConfig } from '@meterline/config';
import { createLogger } from '@meterline/observability';
import { isMeterlineError } from '@meterline/stream';
import { connectKafkaTarget } from './cli/kafka-target';
import { generateToFiles, generateToKafka } from './cli/generate-command';
import type { Pace } from './cli/pacer';
import { summary } from './cli/progress';
import { replay } from './cli/replay-command';

const USAGE = `ingest — put datasets into Meterline's Kafka topics

  ingest replay <file|dir|glob>... --mapping <name|file.json> [--node-id X] [--metric M] [--unit U]
                [--rate <records/s> | --speed <factor>] [--loop]
      Reads Parquet, CSV or NDJSON (plain or gzip; detected from the bytes) through a mapping into
      metrics.node.raw.v1 or metadata.node.v1. Built-in mappings: seed-metrics, seed-metadata, nab-series,
      cluster-pool, and native-metrics / native-metadata for records already in Meterline's JSON shape.
  ingest generate [--out <dir> [--gzip]] [--nodes N] [--seed S] [--hours H] [--interval-seconds S]
      A deterministic sample dataset: to files (--out), or straight into Kafka in emission order.

Kafka and the registry come from KAFKA_BROKERS, SCHEMA_REGISTRY_URL and TOPIC_PREFIX (defaults: the local stack).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'replay' && command !== 'generate') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
  const config = loadConfig(baseEnv('ingest'));
  const logger = createLogger({ service: 'ingest', level: config.logLevel === 'info' ? 'warn' : config.logLevel, destination: process.stderr });

  if (command === 'generate') {
    const { values } = parseArgs({
      args: rest,
      options: {
        out: { type: 'string' },
        gzip: { type: 'boolean', default: false },
        nodes: { type: 'string' },
        seed: { type: 'string' },
        hours: { type: 'string' },
        'interval-seconds': { type: 'string' },
      },
    });
    const options = {
      ...(values.nodes ? { nodes: Number(values.nodes) } : {}),
      ...(values.seed ? { seed: Number(values.seed) } : {}),
      ...(values.hours ? { durationMs: Number(values.hours) * 3_600_000 } : {}),
      ...(values['interval-seconds'] ? { intervalMs: Number(values['interval-seconds']) * 1000 } : {}),
    };
    if (values.out) {
      process.stdout.write(`${await generateToFiles(values.out, options, values.gzip)}\n`);
      return 0;
    }
    const target = await connectKafkaTarget(config, logger);
    try {
      const sent = await generateToKafka(options, target.ingestor);
      process.stdout.write(`generated into Kafka: ${sent.metric} metric and ${sent.metadata} metadata records\n`);
    } finally {
      await target.close();
    }
    return 0;
  }

  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      mapping: { type: 'string' },
      'node-id': { type: 'string' },
      metric: { type: 'string' },
      unit: { type: 'string' },
      rate: { type: 'string' },
      speed: { type: 'string' },
      loop: { type: 'boolean', default: false },
    },
  });
  if (!values.mapping || positionals.length === 0) {
    process.stderr.write(`replay needs inputs and --mapping\n\n${USAGE}\n`);
    return 2;
  }
  const pace: Pace = values.rate
    ? { kind: 'rate', perSecond: Number(values.rate) }
    : values.speed
      ? { kind: 'speed', factor: Number(values.speed) }
      : { kind: 'max' };
  const flags = {
    ...(values['node-id'] ? { nodeId: values['node-id'] } : {}),
    ...(values.metric ? { metric: values.metric } : {}),
    ...(values.unit ? { unit: values.unit } : {}),
  };
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  process.once('SIGTERM', () => (stopping = true));

  const target = await connectKafkaTarget(config, logger);
  const started = performance.now();
  try {
    const counts = await replay({ inputs: positionals, mapping: values.mapping, flags, pace, loop: values.loop }, target.ingestor, process.stderr, () => stopping);
    for (const line of summary(counts, performance.now() - started)) process.stdout.write(`${line}\n`);
  } finally {
    await target.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`ingest: ${isMeterlineError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  },
);
