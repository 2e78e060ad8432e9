import { envVar, hostPortList, httpUrl, loadConfig } from '@meterline/config';
import { acquireStack, stackStatus } from '@meterline/local-stack';
import { harnessLog, keepLease } from './harness-lease';

const providedEnv = {
  kafkaBrokers: envVar('KAFKA_BROKERS', hostPortList.optional(), 'brokers to test against instead of the local stack'),
  schemaRegistryUrl: envVar('SCHEMA_REGISTRY_URL', httpUrl.optional(), 'registry to test against instead of the local stack'),
};

/**
 * Makes sure the tests have a stack: the local one, reused if it runs and started otherwise. Only when both variables
 * point somewhere else (a CI job with its own services) are they used as given. Variables that name the local stack
 * itself (`npm test` sets them; a developer may have exported what `stack:status` prints) do not skip the check, so a
 * stopped stack is started instead of failing every test with "connection refused".
 */
export default async function globalSetup(): Promise<void> {
  const provided = loadConfig(providedEnv);
  if (provided.kafkaBrokers !== undefined && provided.schemaRegistryUrl !== undefined) {
    const local = (await stackStatus()).endpoints;
    const brokers = provided.kafkaBrokers.join(',');
    if (brokers !== local.kafkaBrokers.join(',') || provided.schemaRegistryUrl !== local.schemaRegistryUrl) {
      harnessLog(`testing against KAFKA_BROKERS=${brokers} and SCHEMA_REGISTRY_URL=${provided.schemaRegistryUrl}`);
      return;
    }
  }
  const lease = await acquireStack({ log: harnessLog });
  keepLease(lease);
  // Test workers are started after this and inherit the environment; this is how they learn the endpoints.
  process.env.KAFKA_BROKERS = lease.endpoints.kafkaBrokers.join(',');
  process.env.SCHEMA_REGISTRY_URL = lease.endpoints.schemaRegistryUrl;
}
