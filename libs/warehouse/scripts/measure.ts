/**
 * Fact-table load rate of the DuckDB warehouse: 200,000 enriched rows written through `writeBatch` (rows and offsets in
 * one transaction per batch) into a fresh database file. Not a test: it prints figures for the dwh-loader note.
 *   npx tsx --tsconfig libs/warehouse/tsconfig.json libs/warehouse/scripts/measure.ts [rows] [batch rows]
 * For scale it also times DuckDB alone writing the same rows (a table-to-table copy inside the database): no load
 * path through node can be faster than that on the same machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWarehouse, type TableRecords } from '../src';

const ROWS = Number(process.argv[2] ?? 200_000);
const BATCH = Number(process.argv[3] ?? 50_000);
const PARTITIONS = 6;
const NODES = 200;
const T0 = Date.UTC(2024, 2, 14, 0, 0, 0);
const TOPIC = 'metrics.node.enriched.v1';

/** Rows shaped like the enriched topic's: 200 nodes, two metrics, a few label sets, some samples without capacity. */
function record(i: number): TableRecords['fact_node_metric'] {
  const node = i % NODES;
  const capacity = i % 10 === 0 ? null : 16;
  const value = (i % 1000) / 100;
  return {
    topic: TOPIC,
    partition: node % PARTITIONS,
    offset: String(Math.floor(i / PARTITIONS)),
    value: {
      node_id: `ip-10-0-${node >> 8}-${node & 255}.eu-west-1.compute.internal`,
      metric: i % 2 === 0 ? 'cpu_usage' : 'memory_usage',
      value,
      capacity,
      unit: i % 2 === 0 ? 'cores' : 'bytes',
      event_time: T0 + Math.floor(i / NODES) * 15_000,
      source: 'replay',
      labels: { job: 'node-exporter', instance: `node-${node}` },
      metadata_status: 'joined',
      instance_type: node % 3 === 0 ? 'm5.xlarge' : 'c5.2xlarge',
      zone: `eu-west-1${'abc'[node % 3] ?? 'a'}`,
      node_labels: { 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': `eu-west-1${'abc'[node % 3] ?? 'a'}` },
      metadata_updated_at: T0,
      utilisation: capacity === null ? null : value / capacity,
    },
  };
}

async function main(): Promise<void> {
  const records = Array.from({ length: ROWS }, (_, i) => record(i));
  const dir = mkdtempSync(join(tmpdir(), 'meterline-measure-'));
  const instance = await DuckDBInstance.create(join(dir, 'measure.duckdb'));
  const warehouse = await openDuckDbWarehouse({ instance });
  try {
    await warehouse.ensureTables();
    const next = new Map<number, number>();
    const started = performance.now();
    const batchMs: number[] = [];
    for (let start = 0; start < ROWS; start += BATCH) {
      const batch = records.slice(start, start + BATCH);
      for (const r of batch) next.set(r.partition, Number(r.offset) + 1);
      const offsets = [...next].map(([partition, n]) => ({ topic: TOPIC, partition, nextOffset: String(n) }));
      const t = performance.now();
      await warehouse.writeBatch({ table: 'fact_node_metric', records: batch }, { group: 'measure', offsets });
      batchMs.push(performance.now() - t);
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${ROWS} rows in ${Math.ceil(ROWS / BATCH)} batches of ${BATCH}: ${seconds.toFixed(2)} s, ` +
        `${Math.round(ROWS / seconds).toLocaleString('en')} rows/s ` +
        `(batch ms: ${batchMs.map((ms) => ms.toFixed(0)).join(', ')})\n`,
    );
    const sql = await instance.connect();
    const copyStarted = performance.now();
    await sql.run('CREATE TABLE fact_copy AS SELECT * FROM fact_node_metric');
    const copySeconds = (performance.now() - copyStarted) / 1000;
    process.stdout.write(`DuckDB alone copying the same rows: ${Math.round(ROWS / copySeconds).toLocaleString('en')} rows/s\n`);
    sql.closeSync();
  } finally {
    await warehouse.close();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
