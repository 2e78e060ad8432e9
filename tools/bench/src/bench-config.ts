import {
  ConfigError,
  durationMs,
  envVar,
  loadConfig,
  logLevel,
  nonNegativeInt,
  parseEnv,
  positiveInt,
  type ConfigOf,
  type EnvSpec,
} from '@meterline/config';

/**
 * Every knob of the baseline, settable as `BENCH_X_Y=...` or `--x-y ...` (a flag wins over the environment). The
 * defaults keep a run under about two minutes on a 2-core machine; raise the counts for steadier figures.
 */
export const benchEnv = {
  warmupRecords: envVar(
    'BENCH_WARMUP_RECORDS',
    nonNegativeInt.default(100_000),
    'records ProducerPerformance writes, untimed, to warm the broker up first (0: none)',
  ),
  perfRecords: envVar(
    'BENCH_PERF_RECORDS',
    positiveInt.default(500_000),
    'records ProducerPerformance writes and ConsumerPerformance reads back',
  ),
  relayRecords: envVar(
    'BENCH_RELAY_RECORDS',
    positiveInt.default(200_000),
    'records the kafkajs producer sends; they are then the backlog the relay drains',
  ),
  sendBatch: envVar('BENCH_SEND_BATCH', positiveInt.default(1_000), 'records per AvroProducer.send'),
  sendsInFlight: envVar(
    'BENCH_SENDS_IN_FLIGHT',
    positiveInt.default(1),
    'AvroProducer.send calls outstanding at once while producing the backlog',
  ),
  chunkSize: envVar('BENCH_CHUNK_SIZE', positiveInt.default(1_000), "the relay runner's chunkSize"),
  partitionsConcurrently: envVar(
    'BENCH_PARTITIONS_CONCURRENTLY',
    positiveInt.default(1),
    "the relay runner's partitionsConsumedConcurrently",
  ),
  pacedRate: envVar('BENCH_PACED_RATE', positiveInt.default(2_000), 'records/s produced in the latency phase'),
  pacedDurationMs: envVar('BENCH_PACED_DURATION', durationMs.prefault('10s'), 'length of the latency phase, e.g. 10s'),
  logLevel: envVar('BENCH_LOG_LEVEL', logLevel.default('warn'), 'log level of the Kafka clients (logs go to stderr)'),
} as const;

export type BenchConfig = ConfigOf<typeof benchEnv>;

/** `BENCH_PACED_RATE` ↔ `--paced-rate`. */
const flagOf = (envName: string): string => `--${envName.replace(/^BENCH_/, '').toLowerCase().replace(/_/g, '-')}`;

export function usage(): string {
  const rows = Object.values(benchEnv).map((v) => `  ${flagOf(v.name).padEnd(26)} ${v.name.padEnd(30)} ${v.help}`);
  return ['usage: npm run bench:baseline -- [--flag value | --flag=value]...', ...rows].join('\n');
}

/** The configuration, or 'help' when asked for it. Environment first, then flags; all problems are reported at once. */
export function loadBenchConfig(argv: readonly string[]): BenchConfig | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const byFlag = new Map(Object.entries(benchEnv).map(([key, v]) => [flagOf(v.name), { key, v }]));
  const given: Record<string, string> = {};
  const flagSpec: Record<string, EnvSpec[string]> = {};
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const known = byFlag.get(flag);
    if (!known) {
      problems.push(`unknown argument ${JSON.stringify(arg)} (see --help)`);
      continue;
    }
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) {
      problems.push(`${flag} needs a value`);
      continue;
    }
    given[known.v.name] = value;
    flagSpec[known.key] = known.v;
  }
  // Environment and flags are both parsed before anything is thrown, so one run reports every problem.
  const collect = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const fromEnv = collect(() => loadConfig(benchEnv));
  // parseEnv validates each flag with the same schema as its variable; the subset spec loses the key types only.
  const fromFlags = collect(() => parseEnv(flagSpec, given) as Partial<BenchConfig>);
  if (!fromEnv || !fromFlags || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ ...fromEnv, ...fromFlags });
}
