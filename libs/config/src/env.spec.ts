import { z } from 'zod';
import { baseEnv, LOCAL_KAFKA_BROKERS } from './base';
import { ConfigError, envVar, parseEnv } from './env';
import { bool, durationMs, hostPortList, positiveInt } from './types';

const spec = {
  ...baseEnv('ingest'),
  batchSize: envVar('DWH_LOADER_BATCH_SIZE', positiveInt.default(500), 'rows per batch'),
  dryRun: envVar('DRY_RUN', bool.prefault('false'), 'do not write'),
};

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseEnv(spec, env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEnv', () => {
  it('applies defaults when nothing is set', () => {
    const config = parseEnv(spec, {});
    expect(config.kafkaBrokers).toEqual([LOCAL_KAFKA_BROKERS]);
    expect(config.httpPort).toBe(9401);
    expect(config.shutdownTimeoutMs).toBe(30_000);
    expect(config.batchSize).toBe(500);
    expect(config.dryRun).toBe(false);
    expect(config.topicPrefix).toBe('');
  });

  it('parses and normalises the values it is given', () => {
    const config = parseEnv(spec, {
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      SCHEMA_REGISTRY_URL: 'http://registry:8081/',
      HTTP_PORT: '9000',
      SHUTDOWN_TIMEOUT_MS: '2m',
      DWH_LOADER_BATCH_SIZE: '10000',
      DRY_RUN: 'yes',
    });
    expect(config).toMatchObject({
      kafkaBrokers: ['kafka-1:9092', 'kafka-2:9092'],
      schemaRegistryUrl: 'http://registry:8081',
      httpPort: 9000,
      shutdownTimeoutMs: 120_000,
      batchSize: 10_000,
      dryRun: true,
    });
  });

  it('reports every invalid variable at once, naming each and what it got', () => {
    const problems = problemsOf({
      KAFKA_BROKERS: 'not a broker',
      HTTP_PORT: '70000',
      LOG_LEVEL: 'loud',
      DWH_LOADER_BATCH_SIZE: '-3',
      SHUTDOWN_TIMEOUT_MS: 'soon',
    });
    expect(problems).toHaveLength(5);
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'KAFKA_BROKERS',
      'HTTP_PORT',
      'LOG_LEVEL',
      'SHUTDOWN_TIMEOUT_MS',
      'DWH_LOADER_BATCH_SIZE',
    ]);
    expect(problems[0]).toContain('"not a broker"');
  });

  it('treats an empty variable like an unset one', () => {
    expect(parseEnv(spec, { HTTP_PORT: '' }).httpPort).toBe(9401);
  });

  it('reports a required variable that is missing', () => {
    const required = { url: envVar('SOURCE_URL', z.string().url(), 'where to read from') };
    expect(() => parseEnv(required, {})).toThrow(/SOURCE_URL \(unset\)/);
  });

  it('returns a deeply frozen object', () => {
    const config = parseEnv(spec, {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.kafkaBrokers)).toBe(true);
  });
});

describe('value types', () => {
  it.each([
    ['250', 250],
    ['250ms', 250],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
  ])('reads the duration %s as %d ms', (input, ms) => {
    expect(durationMs.parse(input)).toBe(ms);
  });

  it('rejects broker lists with an entry that has no port', () => {
    expect(hostPortList.safeParse('a:1,b').success).toBe(false);
  });
});
