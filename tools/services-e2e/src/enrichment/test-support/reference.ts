import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { NodeMetricAgg, NodeMetricEnriched, NodeMetricRaw } from '@meterline/schemas';
import type { Read } from './pipeline';

export interface WindowSettings {
  readonly sizeMs: number;
  readonly graceMs: number;
  readonly latenessMs: number;
}

/** An aggregate as compared: the fields of `metrics.node.agg.v1` except the revision. */
export type ExpectedAggregate = Record<string, unknown>;

/**
 * What enrichment must produce, computed by DuckDB SQL from the raw input alone (plus, for the one timing-dependent
 * fact, whether a sample found its node's metadata, from the enriched output): repeats removed (first in partition
 * order wins), then GROUP BY node, metric and minute — every window, closed or not. `required` marks the windows
 * every deployment must have closed once all is read and every partition is idle: an instance's watermark is then the
 * newest event time of its partitions minus the allowed lateness, so with any split of the partitions it is at least
 * the smallest per-partition newest time minus the lateness.
 */
export async function referenceAggregates(
  dir: string,
  raw: readonly Read<string, NodeMetricRaw>[],
  enriched: readonly Read<string, NodeMetricEnriched>[],
  w: WindowSettings,
  /** Samples routed to the late topic: emitted, but in no aggregate. */
  late: readonly Read<string, NodeMetricEnriched>[] = [],
): Promise<{ enrichedCount: number; aggregates: ExpectedAggregate[]; required: ExpectedAggregate[] }> {
  const rawFile = join(dir, 'raw.ndjson');
  const enrichedFile = join(dir, 'enriched.ndjson');
  const lateFile = join(dir, 'late.ndjson');
  writeFileSync(lateFile, late.map((r) => JSON.stringify({ node_id: r.value.node_id, metric: r.value.metric, event_time: r.value.event_time })).join('\n') || '{}');
  writeFileSync(rawFile, raw.map((r) => JSON.stringify({ partition: r.partition, seq: r.seq, ...r.value, labels: undefined })).join('\n'));
  writeFileSync(
    enrichedFile,
    enriched.map((r) => JSON.stringify({ node_id: r.value.node_id, metric: r.value.metric, event_time: r.value.event_time, metadata_status: r.value.metadata_status })).join('\n'),
  );
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const json = (file: string, columns: string) => `read_json('${file}', format = 'newline_delimited', columns = {${columns}})`;
    await c.run(`CREATE TABLE raw AS SELECT * FROM ${json(rawFile, "partition: 'INTEGER', seq: 'BIGINT', node_id: 'VARCHAR', metric: 'VARCHAR', value: 'DOUBLE', capacity: 'DOUBLE', event_time: 'BIGINT'")}`);
    await c.run(`CREATE TABLE status AS SELECT * FROM ${json(enrichedFile, "node_id: 'VARCHAR', metric: 'VARCHAR', event_time: 'BIGINT', metadata_status: 'VARCHAR'")}`);
    await c.run(`CREATE TABLE late AS SELECT * FROM ${json(lateFile, "node_id: 'VARCHAR', metric: 'VARCHAR', event_time: 'BIGINT'")} WHERE node_id IS NOT NULL`);
    await c.run(`
      CREATE TABLE samples AS
      SELECT *, CASE WHEN capacity IS NOT NULL AND capacity <> 0 THEN value / capacity END AS utilisation
      FROM raw
      QUALIFY row_number() OVER (PARTITION BY node_id, metric, event_time ORDER BY partition, seq) = 1`);
    const [countRow] = (await c.runAndReadAll('SELECT count(*) FROM samples')).getRowsJson();
    const closedBy = `(SELECT min(newest) FROM (SELECT max(event_time) AS newest FROM samples GROUP BY partition)) - ${w.latenessMs}`;
    const rows = (
      await c.runAndReadAll(`
        WITH windows AS (
          SELECT s.node_id, s.metric, (s.event_time // ${w.sizeMs}) * ${w.sizeMs} AS window_start,
            count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max, avg(value) AS mean,
            count(utilisation) AS utilisation_count, sum(utilisation) AS utilisation_sum,
            min(utilisation) AS utilisation_min, max(utilisation) AS utilisation_max, avg(utilisation) AS utilisation_mean,
            count(*) FILTER (WHERE capacity IS NULL) AS missing_capacity,
            count(*) FILTER (WHERE st.metadata_status IS DISTINCT FROM 'joined') AS missing_metadata
          FROM samples s LEFT JOIN status st USING (node_id, metric, event_time)
          WHERE NOT EXISTS (SELECT 1 FROM late l WHERE l.node_id = s.node_id AND l.metric = s.metric AND l.event_time = s.event_time)
          GROUP BY ALL
        )
        SELECT *, window_start + ${w.sizeMs} AS window_end,
          sum(count) OVER series AS total_count,
          sum(missing_capacity) OVER series AS total_missing_capacity,
          sum(missing_metadata) OVER series AS total_missing_metadata
        FROM windows
        WINDOW series AS (PARTITION BY node_id, metric ORDER BY window_start ROWS UNBOUNDED PRECEDING)
        ORDER BY node_id, metric, window_start`)
    ).getRowObjectsJson();
    const [closedRow] = (await c.runAndReadAll(`SELECT ${closedBy}`)).getRowsJson();
    const aggregates = rows.map(toAggregate);
    const closed = Number(closedRow?.[0]);
    const required = aggregates.filter((a) => Number(a['window_end']) + w.graceMs <= closed);
    return { enrichedCount: Number(countRow?.[0]), aggregates, required };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

/** Missing-field counts appear only for fields that were missing, as the aggregator writes them. */
const present = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));

function toAggregate(r: Record<string, unknown>): ExpectedAggregate {
  const n = (k: string) => (r[k] === null ? null : Number(r[k]));
  return {
    node_id: r['node_id'],
    metric: r['metric'],
    window_start: n('window_start'),
    window_end: n('window_end'),
    count: n('count'),
    sum: n('sum'),
    min: n('min'),
    max: n('max'),
    mean: n('mean'),
    utilisation_count: n('utilisation_count'),
    utilisation_sum: n('utilisation_count') === 0 ? null : n('utilisation_sum'),
    utilisation_min: n('utilisation_min'),
    utilisation_max: n('utilisation_max'),
    utilisation_mean: n('utilisation_mean'),
    missing_fields: present({ capacity: Number(r['missing_capacity']), metadata: Number(r['missing_metadata']) }),
    total_count: n('total_count'),
    total_missing_fields: present({ capacity: Number(r['total_missing_capacity']), metadata: Number(r['total_missing_metadata']) }),
  };
}

/** The newest revision of every window on the aggregate topic, without the revision number. */
export function latestAggregates(read: readonly Read<unknown, NodeMetricAgg>[]): ExpectedAggregate[] {
  const latest = new Map<string, Record<string, unknown>>();
  for (const { value } of read as unknown as readonly Read<unknown, Record<string, unknown>>[]) {
    const key = JSON.stringify([value['node_id'], value['metric'], value['window_start']]);
    const seen = latest.get(key);
    if (!seen || Number(seen['revision']) < Number(value['revision'])) latest.set(key, value);
  }
  return [...latest.values()]
    .map(({ revision: _revision, ...rest }) => rest)
    .sort((a, b) => cmp(a['node_id'], b['node_id']) || cmp(a['metric'], b['metric']) || Number(a['window_start']) - Number(b['window_start']));
}

const cmp = (a: unknown, b: unknown) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

/**
 * Every emitted window equals the reference's, with numbers to a relative 1e-9 (SQL and the engine add in different
 * orders); every required window was emitted.
 */
export function expectReferenceAggregates(
  actual: readonly ExpectedAggregate[],
  reference: { readonly aggregates: readonly ExpectedAggregate[]; readonly required: readonly ExpectedAggregate[] },
): void {
  const byKey = new Map(reference.aggregates.map((e) => [keyOf(e), e]));
  const emitted = new Set(actual.map(keyOf));
  expect(reference.required.map(keyOf).filter((k) => !emitted.has(k))).toEqual([]);
  expect(actual.map(keyOf).filter((k) => !byKey.has(k))).toEqual([]);
  actual.forEach((a) => {
    const e = byKey.get(keyOf(a)) as ExpectedAggregate;
    for (const [field, value] of Object.entries(e)) {
      const got = a[field];
      if (typeof value === 'number' && typeof got === 'number') {
        if (Math.abs(got - value) > 1e-9 * Math.max(1, Math.abs(value))) {
          expect({ window: keyOf(e), field, value: got }).toEqual({ window: keyOf(e), field, value });
        }
      } else {
        expect({ window: keyOf(e), field, value: got }).toEqual({ window: keyOf(e), field, value });
      }
    }
  });
}

const keyOf = (a: ExpectedAggregate) => `${String(a['node_id'])}/${String(a['metric'])}/${String(a['window_start'])}`;
