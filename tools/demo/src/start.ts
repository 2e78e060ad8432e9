import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { SERVICE_NAMES } from '@meterline/config';
import { ensureStack } from '@meterline/local-stack';
import { pipelineFigures, runIngestCli } from './sample-run';
import { spawnService, type ServiceProcess } from './service-process';

/**
 * `npm start`: the local stack (started if needed) and the four built services on their default ports, with their
 * logs interleaved. Ctrl-C stops the services gracefully and leaves the stack running for the next start.
 */
async function main(): Promise<void> {
  const endpoints = await ensureStack({ log: (line) => console.log(`[stack] ${line}`) });
  // Each start is a pipeline of its own — topics under a fresh prefix, a fresh warehouse file — because the sample
  // dataset lies in 2024: fed again into the same topics, every sample would be behind the watermark the first feed
  // left (enrichment rightly routes such samples to the late topic), and the figures would describe that instead.
  const run = new Date().toISOString().replace(/[-:.]/g, '');
  const dataDir = path.resolve(__dirname, '..', '..', '..', '.cache', 'demo');
  mkdirSync(dataDir, { recursive: true });
  const warehouseFile = path.join(dataDir, `${run}.duckdb`);
  const env = {
    KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
    TOPIC_PREFIX: `demo-${run}.`,
    DWH_LOADER_DUCKDB_PATH: warehouseFile,
  };
  console.log(`[demo] run ${run}: topics under demo-${run}., warehouse ${path.relative(process.cwd(), warehouseFile)}`);
  console.log(`[stack] Kafka ${env.KAFKA_BROKERS}, Schema Registry ${env.SCHEMA_REGISTRY_URL}`);

  const services = SERVICE_NAMES.map((name) => spawnService(name, env, (line) => console.log(`[${name}] ${brief(line)}`), { ownProcessGroup: true }));
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

  await feedSampleDataset(env, urls, warehouseFile);

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

/**
 * The main job: the bundled sample dataset (ingest's seeded generator: 20 nodes, 6 h, with its late, duplicate and
 * invalid records) through ingest → enrichment → dwh-loader, then what each stage made of it.
 */
async function feedSampleDataset(env: Readonly<Record<string, string>>, urls: readonly string[], warehouseFile: string): Promise<void> {
  const url = (name: string) => urls[SERVICE_NAMES.indexOf(name as (typeof SERVICE_NAMES)[number])] ?? '';
  console.log('[demo] feeding the sample dataset: ingest generate (seed 7, 20 nodes, 6 h)');
  console.log(`[demo] ${(await runIngestCli(['generate'], { ...env, LOG_LEVEL: 'warn' })).trim()}`);
  // Settled once enrichment's held samples have gone on and the warehouse has loaded all it produced.
  let last = '';
  let stableSince = Date.now();
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    const figures = await pipelineFigures(url('enrichment'), url('dwh-loader')).catch(() => undefined);
    if (!figures) continue;
    const facts = figures.warehouseRows.get('fact_node_metric') ?? 0;
    const now = JSON.stringify([figures.enriched, figures.aggregates, [...figures.warehouseRows]]);
    if (now !== last) [last, stableSince] = [now, Date.now()];
    if (facts > 0 && figures.held === 0 && facts >= figures.enriched && Date.now() - stableSince > 5_000) {
      console.log(`[demo] enrichment: ${figures.enriched} enriched samples, ${figures.aggregates} window aggregates (with revisions)`);
      const rows = [...figures.warehouseRows].map(([table, n]) => `${table} ${n}`).join(', ');
      console.log(`[demo] dwh-loader: rows loaded into DuckDB (${path.relative(process.cwd(), warehouseFile)}): ${rows}`);
      console.log('[demo] the pipeline has settled; the services keep running (Ctrl-C stops them)');
      return;
    }
  }
  console.error(`[demo] the pipeline did not settle within 5 minutes (last figures ${last}); see the services' logs`);
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
