import { writeFileSync } from 'node:fs';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { NodeMetadata, NodeMetricAgg, NodeMetricEnriched } from '@meterline/schemas';

/**
 * The reference side of the warehouse tests: the produced input written as NDJSON, and plain SQL over it (DuckDB's
 * own JSON reader, never the loader's code), compared with the tables the loader wrote.
 */

/** JSON with object keys sorted, as the warehouse stores maps. */
export const canonical = (map: Readonly<Record<string, unknown>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));

export function writeNdjson(path: string, rows: readonly object[]): string {
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

/** Enriched input as NDJSON: maps as their canonical JSON text. */
export const factLines = (values: readonly NodeMetricEnriched[]) =>
  values.map((v) => ({ ...v, labels: canonical(v.labels), node_labels: canonical(v.node_labels) }));

/** Aggregate input as NDJSON, with its production order (`seq`): a tie between equal revisions keeps the first. */
export const aggLines = (values: readonly NodeMetricAgg[]) =>
  values.map((v, seq) => ({ ...v, seq, missing_fields: canonical(v.missing_fields), total_missing_fields: canonical(v.total_missing_fields) }));

export interface Results {
  readonly sql: DuckDBConnection;
  rows(query: string): Promise<Record<string, unknown>[]>;
  /** Rows of `expected` missing from `actual`, and rows of `actual` not in `expected` (multisets: EXCEPT ALL). */
  diff(expected: string, actual: string): Promise<{ missing: Record<string, unknown>[]; extra: Record<string, unknown>[] }>;
  close(): void;
}

/** Opens the loader's warehouse file (the loader must have closed it). */
export async function openResults(path: string): Promise<Results> {
  const instance = await DuckDBInstance.create(path);
  const sql = await instance.connect();
  const rows = async (query: string) => (await sql.runAndReadAll(query)).getRowObjectsJson() as Record<string, unknown>[];
  return {
    sql,
    rows,
    async diff(expected, actual) {
      return {
        missing: await rows(`(${expected}) EXCEPT ALL (${actual})`),
        extra: await rows(`(${actual}) EXCEPT ALL (${expected})`),
      };
    },
    close() {
      sql.closeSync();
      instance.closeSync();
    },
  };
}

const FACT_COLUMNS = `node_id, metric, value, capacity, unit, epoch_ms(event_time) AS event_time, source, CAST(labels AS VARCHAR) AS labels,
  metadata_status, instance_type, zone, CAST(node_labels AS VARCHAR) AS node_labels, epoch_ms(metadata_updated_at) AS metadata_updated_at, utilisation`;
const FACT_INPUT = `node_id, metric, value, capacity, unit, event_time, source, labels, metadata_status, instance_type, zone, node_labels,
  metadata_updated_at, utilisation`;

/** Facts: one row per valid input record (poison went to the DLQ), every column as produced. */
export const expectedFacts = (ndjson: string) => `SELECT ${FACT_INPUT} FROM read_json('${ndjson}', format = 'newline_delimited',
  columns = {node_id: 'VARCHAR', metric: 'VARCHAR', value: 'DOUBLE', capacity: 'DOUBLE', unit: 'VARCHAR', event_time: 'BIGINT',
    source: 'VARCHAR', labels: 'VARCHAR', metadata_status: 'VARCHAR', instance_type: 'VARCHAR', zone: 'VARCHAR',
    node_labels: 'VARCHAR', metadata_updated_at: 'BIGINT', utilisation: 'DOUBLE'})`;
export const actualFacts = `SELECT ${FACT_COLUMNS} FROM fact_node_metric`;

const AGG_FIELDS = `node_id, metric, unit, window_start, window_end, revision, count, sum, min, max, mean, utilisation_count,
  utilisation_sum, utilisation_min, utilisation_max, utilisation_mean, missing_fields, total_count, total_missing_fields`;

/** Aggregates: per node, metric and window the highest revision; between equal revisions the first produced. */
export const expectedAggs = (ndjson: string) => `SELECT ${AGG_FIELDS} FROM read_json('${ndjson}', format = 'newline_delimited',
  columns = {node_id: 'VARCHAR', metric: 'VARCHAR', unit: 'VARCHAR', window_start: 'BIGINT', window_end: 'BIGINT', revision: 'INTEGER',
    count: 'BIGINT', sum: 'DOUBLE', min: 'DOUBLE', max: 'DOUBLE', mean: 'DOUBLE', utilisation_count: 'BIGINT', utilisation_sum: 'DOUBLE',
    utilisation_min: 'DOUBLE', utilisation_max: 'DOUBLE', utilisation_mean: 'DOUBLE', missing_fields: 'VARCHAR', total_count: 'BIGINT',
    total_missing_fields: 'VARCHAR', seq: 'BIGINT'})
  QUALIFY row_number() OVER (PARTITION BY node_id, metric, window_start ORDER BY revision DESC, seq) = 1`;
export const actualAggs = `SELECT node_id, metric, unit, epoch_ms(window_start) AS window_start, epoch_ms(window_end) AS window_end, revision,
  count, sum, min, max, mean, utilisation_count, utilisation_sum, utilisation_min, utilisation_max, utilisation_mean,
  CAST(missing_fields AS VARCHAR) AS missing_fields, total_count, CAST(total_missing_fields AS VARCHAR) AS total_missing_fields
  FROM agg_node_metric`;

export interface DimVersion {
  readonly node_id: string;
  readonly instance_type: string | null;
  readonly zone: string | null;
  readonly labels: string;
  readonly valid_from: number;
  readonly valid_to: number | null;
}

/**
 * The node history the metadata topic implies, per node in topic order (SCD2 as libs/warehouse documents it): a
 * version with other attributes than the current one and a newer `updated_at` closes it and opens a new one; an
 * unchanged or older record adds nothing; a tombstone closes the current version at the record's timestamp.
 */
export function expectedHistory(records: readonly { key: string; value: NodeMetadata | null; timestamp: number }[]): DimVersion[] {
  const versions: DimVersion[] = [];
  const latest = new Map<string, number>();
  for (const { key, value, timestamp } of records) {
    const index = latest.get(key);
    const current = index === undefined ? undefined : versions[index];
    if (value === null) {
      if (current !== undefined && index !== undefined && current.valid_to === null) {
        versions[index] = { ...current, valid_to: Math.max(timestamp, current.valid_from) };
      }
      continue;
    }
    const next: DimVersion = { node_id: value.node_id, instance_type: value.instance_type, zone: value.zone, labels: canonical(value.labels), valid_from: value.updated_at, valid_to: null };
    if (current !== undefined && index !== undefined) {
      if (value.updated_at <= current.valid_from) continue;
      const same = current.instance_type === next.instance_type && current.zone === next.zone && current.labels === next.labels;
      if (current.valid_to === null && same) continue;
      if (current.valid_to === null) versions[index] = { ...current, valid_to: value.updated_at };
    }
    latest.set(key, versions.length);
    versions.push(next);
  }
  return versions;
}

export const actualHistory = `SELECT node_id, instance_type, zone, CAST(labels AS VARCHAR) AS labels, epoch_ms(valid_from) AS valid_from,
  epoch_ms(valid_to) AS valid_to FROM dim_node ORDER BY node_id, valid_from`;
