import { ConfigError, parseEnv } from '@meterline/config';
import { dwhLoaderEnv, groupIdOf, snowflakeSettings } from './config';

const parse = (env: Record<string, string> = {}) => parseEnv(dwhLoaderEnv, env);

describe('dwh-loader configuration', () => {
  it('defaults to DuckDB in a local file, 50,000 rows / 16 MB / 1 s batches, and a group named after the service', () => {
    const config = parse();
    expect([config.warehouse, config.duckDbPath, config.batchRows, config.batchBytes, config.batchMaxWaitMs]).toEqual([
      'duckdb',
      '.cache/dwh-loader/dwh-loader.duckdb',
      50_000,
      16 * 1024 * 1024,
      1_000,
    ]);
    expect(groupIdOf(config)).toBe('dwh-loader');
    expect(groupIdOf(parse({ TOPIC_PREFIX: 'it-1.' }))).toBe('it-1.dwh-loader');
    expect(groupIdOf(parse({ TOPIC_PREFIX: 'it-1.', DWH_LOADER_GROUP_ID: 'loader-b' }))).toBe('loader-b');
  });

  it('reports every invalid variable at once', () => {
    try {
      parse({ DWH_LOADER_WAREHOUSE: 'oracle', DWH_LOADER_BATCH_ROWS: '0', DWH_LOADER_BATCH_MAX_WAIT: 'soon' });
      throw new Error('parsed');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual(['DWH_LOADER_WAREHOUSE', 'DWH_LOADER_BATCH_ROWS', 'DWH_LOADER_BATCH_MAX_WAIT']);
    }
  });

  it('builds the Snowflake connection, or names every missing or conflicting setting (never a secret)', () => {
    expect(snowflakeSettings(parse({ DWH_LOADER_WAREHOUSE: 'snowflake', DWH_LOADER_SNOWFLAKE_PASSWORD: 'hunter2', DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PATH: '/k.pem' }))).toEqual({
      problems: [
        'DWH_LOADER_SNOWFLAKE_ACCOUNT is required with DWH_LOADER_WAREHOUSE=snowflake',
        'DWH_LOADER_SNOWFLAKE_USER is required with DWH_LOADER_WAREHOUSE=snowflake',
        'DWH_LOADER_SNOWFLAKE_DATABASE is required with DWH_LOADER_WAREHOUSE=snowflake',
        'DWH_LOADER_SNOWFLAKE_SCHEMA is required with DWH_LOADER_WAREHOUSE=snowflake',
        'exactly one of DWH_LOADER_SNOWFLAKE_PASSWORD, _PRIVATE_KEY, _PRIVATE_KEY_PATH is needed (got DWH_LOADER_SNOWFLAKE_PASSWORD, DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PATH)',
      ],
    });
    const env = {
      DWH_LOADER_WAREHOUSE: 'snowflake',
      DWH_LOADER_SNOWFLAKE_ACCOUNT: 'acme-eu1',
      DWH_LOADER_SNOWFLAKE_USER: 'loader',
      DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PATH: '/secrets/loader.p8',
      DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: 'pp',
      DWH_LOADER_SNOWFLAKE_DATABASE: 'METERLINE',
      DWH_LOADER_SNOWFLAKE_SCHEMA: 'LOAD',
      DWH_LOADER_SNOWFLAKE_ROLE: 'LOADER',
      DWH_LOADER_SNOWFLAKE_STAGE_THRESHOLD: '5000',
    };
    expect(snowflakeSettings(parse(env))).toEqual({
      problems: [],
      settings: {
        account: 'acme-eu1',
        user: 'loader',
        auth: { privateKeyPath: '/secrets/loader.p8', passphrase: 'pp' },
        database: 'METERLINE',
        schema: 'LOAD',
        role: 'LOADER',
        stageThreshold: 5_000,
      },
    });
  });
});
