import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnService, type ServiceProcess } from '@meterline/demo';
import { AvroProducer, createKafka, describeTopic, emit, ensureTopics, openTopic, SchemaRegistryClient } from '@meterline/kafka';
import { ensureStack, waitFor } from '@meterline/local-stack';
import { createLogger } from '@meterline/observability';
import { nodeMetricEnrichedTopic, topicDeclarations, type NodeMetricEnriched } from '@meterline/schemas';
import { isMeterlineError } from '@meterline/stream';
import { openDuckDbWarehouse, type TableRecords } from '@meterline/warehouse';
import { runIdOf } from './bench-topics';
import { rate, summarize, type LatencySummary } from './stats';

/**
 * `npm run bench:dwh [-- --records 200000 --paced-rate 5000 --paced-seconds 10]`: the fact table's load rate end to end
 * (Kafka backlog → built dwh-loader → DuckDB file) against the warehouse alone writing the same rows (writeBatch, 50,000
 * per transaction, no Kafka), both in this run; then the end-to-end latency at a steady rate. Progress on stderr; stdout
 * is a table and, as its last line, one JSON object.
 */

interface DwhBenchResult {
  readonly bench: 'dwh';
  readonly runId: string;
  readonly timestamp: string;
  readonly node: string;
  readonly options: { readonly records: number; readonly pacedRate: number; readonly pacedSeconds: number };
  readonly produce: { readonly records: number; readonly recordsPerSec: number };
  readonly warehouseOnly: { readonly rows: number; readonly rowsPerSec: number };
  readonly endToEnd: { readonly rows: number; readonly rowsPerSec: number };
  /** Sampled warehouse_load_lag_seconds (now − newest event time loaded) while records arrive at the paced rate. */
  readonly pacedLag: LatencySummary;
  readonly ratios: { readonly endToEndVsWarehouseOnly: number };
  readonly targets: { readonly factRowsPerSec: number };
}

const TARGET_ROWS_PER_SEC = 200_000;
const T0 = Date.UTC(2024, 2, 14, 0, 0, 0);

/** Shaped like the enriched topic's records: 200 nodes, two metrics, some without capacity. */
function enriched(i: number, eventTime = T0 + Math.floor(i / 200) * 15_000): NodeMetricEnriched {
  const node = i % 200;
  const capacity = i % 10 === 0 ? null : 16;
  const value = (i % 1000) / 100;
  const zone = `eu-west-1${'abc'[node % 3] ?? 'a'}`;
  return {
    node_id: `ip-10-0-${node >> 8}-${node & 255}.eu-west-1.compute.internal`,
    metric: i % 2 === 0 ? 'cpu_usage' : 'memory_usage',
    value,
    capacity,
    unit: i % 2 === 0 ? 'cores' : 'bytes',
    event_time: eventTime,
    source: 'replay',
    labels: { job: 'node-exporter', instance: `node-${node}` },
    metadata_status: 'joined',
    instance_type: node % 3 === 0 ? 'm5.xlarge' : 'c5.2xlarge',
    zone,
    node_labels: { 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': zone },
    metadata_updated_at: T0,
    utilisation: capacity === null ? null : value / capacity,
  };
}

/** The loader's own count of fact rows written, from its /metrics. */
async function factRowsLoaded(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('warehouse_rows_loaded_total{') && l.includes('table="fact_node_metric"'));
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function factLagSeconds(url: string): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('warehouse_load_lag_seconds{') && l.includes('table="fact_node_metric"'));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** The warehouse alone: the same rows through writeBatch into a fresh file, 50,000 per transaction. */
async function warehouseOnly(values: readonly NodeMetricEnriched[], dir: string): Promise<{ rows: number; rowsPerSec: number }> {
  const warehouse = await openDuckDbWarehouse({ path: join(dir, 'warehouse-only.duckdb') });
  try {
    await warehouse.ensureTables();
    const topic = 'bench.metrics.node.enriched.v1';
    const records: TableRecords['fact_node_metric'][] = values.map((value, i) => ({ topic, partition: i % 6, offset: String(Math.floor(i / 6)), value }));
    const started = performance.now();
    for (let start = 0; start < records.length; start += 50_000) {
      const batch = records.slice(start, start + 50_000);
      const next = new Map<number, number>();
      for (const r of batch) next.set(r.partition, Number(r.offset) + 1);
      const offsets = [...next].map(([partition, n]) => ({ topic, partition, nextOffset: String(n) }));
      await warehouse.writeBatch({ table: 'fact_node_metric', records: batch }, { group: 'bench', offsets });
    }
    return { rows: records.length, rowsPerSec: rate(records.length, performance.now() - started) };
  } finally {
    await warehouse.close();
  }
}

async function run(options: DwhBenchResult['options'], progress: (line: string) => void): Promise<DwhBenchResult> {
  const endpoints = await ensureStack({ log: progress });
  const runId = runIdOf(new Date());
  const prefix = `bench-${runId}.dwh.`;
  const logger = createLogger({ service: 'bench', level: 'warn', destination: process.stderr });
  const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: `bench-${runId}`, logger });
  const admin = kafka.admin();
  const producer = new AvroProducer(kafka);
  const dir = mkdtempSync(join(tmpdir(), 'meterline-bench-dwh-'));
  let service: ServiceProcess | undefined;
  await admin.connect();
  try {
    await ensureTopics(admin, topicDeclarations(prefix));
    await producer.connect();
    const topic = await openTopic(new SchemaRegistryClient({ url: endpoints.schemaRegistryUrl }), describeTopic(nodeMetricEnrichedTopic, prefix));

    progress(`producing a backlog of ${options.records} enriched records`);
    const values = Array.from({ length: options.records }, (_, i) => enriched(i));
    const produceStarted = performance.now();
    for (let start = 0; start < values.length; start += 2_000) {
      await producer.send(values.slice(start, start + 2_000).map((v) => emit(topic, v.node_id, v)));
    }
    const produce = { records: values.length, recordsPerSec: rate(values.length, performance.now() - produceStarted) };

    progress('warehouse alone: writeBatch of the same rows, 50,000 per transaction');
    const alone = await warehouseOnly(values, dir);

    progress('end to end: the built dwh-loader (dist/apps/dwh-loader) draining the backlog into a fresh DuckDB file');
    service = spawnService('dwh-loader', {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      TOPIC_PREFIX: prefix,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      DWH_LOADER_DUCKDB_PATH: join(dir, 'dwh-loader.duckdb'),
    });
    const url = await service.url;
    // From the first rows loaded to the last: start-up and the group join are not load time.
    let first: { at: number; rows: number } | undefined;
    let last = { at: 0, rows: 0 };
    await waitFor(
      async () => {
        const rows = await factRowsLoaded(url).catch(() => 0);
        const at = performance.now();
        if (rows > 0 && first === undefined) first = { at, rows };
        if (rows > last.rows) last = { at, rows };
        return rows >= options.records;
      },
      { timeoutMs: 600_000, intervalMs: 20, message: `${options.records} fact rows loaded` },
    );
    const start = first ?? last;
    const endToEnd = { rows: last.rows - start.rows, rowsPerSec: rate(last.rows - start.rows, Math.max(1, last.at - start.at)) };

    progress(`latency: ${options.pacedRate} records/s for ${options.pacedSeconds} s, event time = send time, lag sampled from /metrics`);
    const lags: number[] = [];
    const perTick = Math.max(1, Math.round(options.pacedRate / 50));
    const end = Date.now() + options.pacedSeconds * 1_000;
    let i = options.records;
    const sampler = setInterval(() => {
      void factLagSeconds(url).then((s) => {
        if (s !== undefined && Date.now() < end) lags.push(s * 1_000);
      });
    }, 100);
    try {
      while (Date.now() < end) {
        const tick = performance.now();
        const now = Date.now();
        await producer.send(Array.from({ length: perTick }, () => enriched(i++, now)).map((v) => emit(topic, v.node_id, v)));
        await new Promise((r) => setTimeout(r, Math.max(0, 20 - (performance.now() - tick))));
      }
    } finally {
      clearInterval(sampler);
    }
    // The first samples still measure the backlog's 2024 event times: only samples after the paced rows took over.
    const pacedLag = summarize(lags.filter((ms) => ms < 3_600_000));

    return {
      bench: 'dwh',
      runId,
      timestamp: new Date().toISOString(),
      node: process.version,
      options,
      produce,
      warehouseOnly: alone,
      endToEnd,
      pacedLag,
      ratios: { endToEndVsWarehouseOnly: Math.round((endToEnd.rowsPerSec / alone.rowsPerSec) * 1000) / 1000 },
      targets: { factRowsPerSec: TARGET_ROWS_PER_SEC },
    };
  } finally {
    service?.signal('SIGTERM');
    await service?.exited;
    await producer.disconnect();
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    await admin.deleteTopics({ topics }).catch((err: unknown) => progress(`cleanup: ${(err as Error).message}`));
    await admin.disconnect();
    rmSync(dir, { recursive: true, force: true });
    progress(`removed ${topics.length} topics under ${prefix} and the DuckDB files (registry subjects stay)`);
  }
}

function table(r: DwhBenchResult): string[] {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const l = r.pacedLag;
  return [
    `Meterline dwh-loader ${r.runId}: node ${r.node}, fact_node_metric into DuckDB`,
    '',
    'measurement                                             rows   rows/s',
    `produce the backlog (AvroProducer.send, 2,000/send) ${n(r.produce.records).padStart(9)} ${n(r.produce.recordsPerSec).padStart(8)}`,
    `warehouse alone (writeBatch, 50,000/transaction)    ${n(r.warehouseOnly.rows).padStart(9)} ${n(r.warehouseOnly.rowsPerSec).padStart(8)}`,
    `end to end (Kafka → dwh-loader → DuckDB, defaults)  ${n(r.endToEnd.rows).padStart(9)} ${n(r.endToEnd.rowsPerSec).padStart(8)}`,
    '',
    `ratio end to end / warehouse alone: ${r.ratios.endToEndVsWarehouseOnly}   (target: >= ${n(r.targets.factRowsPerSec)} fact rows/s)`,
    `end-to-end lag at ${n(r.options.pacedRate)} records/s (ms, ${l.count} samples): p50 ${l.p50Ms.toFixed(0)} / p99 ${l.p99Ms.toFixed(0)} / max ${l.maxMs.toFixed(0)}`,
  ];
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: 'string', default: '200000' },
      'paced-rate': { type: 'string', default: '5000' },
      'paced-seconds': { type: 'string', default: '10' },
    },
  });
  const result = await run(
    { records: Number(values.records), pacedRate: Number(values['paced-rate']), pacedSeconds: Number(values['paced-seconds']) },
    (line) => console.error(`bench: ${line}`),
  );
  for (const line of table(result)) console.log(line);
  console.log(JSON.stringify(result));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(isMeterlineError(err) ? `bench: ${err.message}` : err);
  process.exitCode = 1;
});
