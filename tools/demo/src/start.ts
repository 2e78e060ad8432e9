import { SERVICE_NAMES } from '@meterline/config';
import { ensureStack } from '@meterline/local-stack';
import { spawnService, type ServiceProcess } from './service-process';

/**
 * `npm start`: the local stack (started if needed) and the four built services on their default ports, with their
 * logs interleaved. Ctrl-C stops the services gracefully and leaves the stack running for the next start.
 */
async function main(): Promise<void> {
  const endpoints = await ensureStack({ log: (line) => console.log(`[stack] ${line}`) });
  const env = { KAFKA_BROKERS: endpoints.kafkaBrokers.join(','), SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl };
  console.log(`[stack] Kafka ${env.KAFKA_BROKERS}, Schema Registry ${env.SCHEMA_REGISTRY_URL}`);

  const services = SERVICE_NAMES.map((name) => spawnService(name, env, (line) => console.log(`[${name}] ${brief(line)}`)));
  let stopping = false;
  for (const s of services) {
    void s.exited.then((code) => {
      if (stopping) return;
      console.error(`[${s.name}] exited unexpectedly with code ${code}; stopping the others`);
      void stop(services, 1);
    });
  }
  const urls = await Promise.all(services.map((s) => s.url));
  console.log('\nservices (health, readiness, Prometheus metrics):');
  services.forEach((s, i) => console.log(`  ${s.name.padEnd(16)} ${urls[i]}/healthz  ${urls[i]}/readyz  ${urls[i]}/metrics`));
  console.log('\nCtrl-C stops the services; `npm run stack:down` stops Kafka and the registry.\n');

  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    void stop(services, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  async function stop(all: readonly ServiceProcess[], code: number): Promise<void> {
    stopping = true;
    for (const s of all) s.signal('SIGTERM');
    const codes = await Promise.all(all.map((s) => s.exited));
    const failed = all.filter((_, i) => codes[i] !== 0).map((s) => s.name);
    if (failed.length > 0) console.error(`[demo] not stopped cleanly: ${failed.join(', ')}`);
    process.exit(failed.length > 0 ? 1 : code);
  }
}

/** One readable line from a JSON log line: level and message, plus an error message if there is one. */
function brief(line: string): string {
  try {
    const entry = JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string } };
    return `${(entry.level ?? '').padEnd(5)} ${entry.msg ?? ''}${entry.err?.message ? ` — ${entry.err.message}` : ''}`;
  } catch {
    return line;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
