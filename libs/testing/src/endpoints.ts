import { ConfigError, envVar, hostPortList, httpUrl, loadConfig, parseEnv } from '@meterline/config';

export interface TestEndpoints {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
}

const endpointsEnv = {
  kafkaBrokers: envVar('KAFKA_BROKERS', hostPortList, 'set by the integration-test global setup'),
  schemaRegistryUrl: envVar('SCHEMA_REGISTRY_URL', httpUrl, 'set by the integration-test global setup'),
};

/**
 * The stack an integration test talks to. Unlike a service, a test gets no silent default: without the global setup
 * the variables are unset, and the error says how to opt in.
 */
export const stackEndpoints = (): TestEndpoints => withHint(() => loadConfig(endpointsEnv));

export const endpointsFrom = (env: Readonly<Record<string, string | undefined>>): TestEndpoints =>
  withHint(() => parseEnv(endpointsEnv, env));

function withHint(read: () => TestEndpoints): TestEndpoints {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError([
      ...err.problems,
      "integration tests get these from libs/testing's global setup: spread require('../../libs/testing/jest-int.js') " +
        "into the project's jest.config.js, or run through `npm test`",
    ]);
  }
}
