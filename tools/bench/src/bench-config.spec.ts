import { ConfigError } from '@meterline/config';
import { loadBenchConfig, usage } from './bench-config';

function problemsOf(argv: string[]): readonly string[] {
  try {
    loadBenchConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadBenchConfig', () => {
  it('defaults to the documented run sizes', () => {
    expect(loadBenchConfig([])).toMatchObject({
      warmupRecords: 100_000,
      perfRecords: 500_000,
      relayRecords: 200_000,
      sendBatch: 1_000,
      sendsInFlight: 1,
      chunkSize: 1_000,
      partitionsConcurrently: 1,
      pacedRate: 2_000,
      pacedDurationMs: 10_000,
    });
  });

  it('takes flags as "--flag value" and "--flag=value", parsed like their variables', () => {
    expect(loadBenchConfig(['--relay-records', '50000', '--paced-duration=3s'])).toMatchObject({
      relayRecords: 50_000,
      pacedDurationMs: 3_000,
    });
  });

  it('reports every bad argument at once, naming the variable behind a bad value', () => {
    const problems = problemsOf(['--relay-records', 'lots', '--records', '5', '--chunk-size']);
    expect(problems).toEqual([
      expect.stringContaining('unknown argument "--records"'),
      expect.stringContaining('unknown argument "5"'),
      '--chunk-size needs a value',
      expect.stringContaining('BENCH_RELAY_RECORDS ("lots")'),
    ]);
  });

  it('answers --help instead of running', () => {
    expect(loadBenchConfig(['--perf-records', '1', '--help'])).toBe('help');
    expect(usage()).toContain('--partitions-concurrently');
  });
});
