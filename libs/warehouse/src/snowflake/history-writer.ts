import { fatalError } from '@meterline/stream';
import type { ColumnDefinition } from '../model/column';
import { planHistory, type StoredVersion } from '../model/history';
import { closeColumns, historyChanges, historyFingerprint, type HistoryShape, historyShape, versionColumns } from '../model/history-changes';
import type { NewBatch } from '../model/record-columns';
import { type TableDefinition, VALID_FROM_COLUMN, VALID_TO_COLUMN } from '../model/tables';
import type { KeyedSourceRecord } from '../warehouse';
import type { SnowflakeSession } from './snowflake-session';
import { quote } from './snowflake-types';
import { encodeRows, loadStaging, stagedRowsSql, type StagingTable } from './staging';
import { appendSql, stagingOf, type WriteContext } from './table-writers';

/** Keys per lookup statement: one placeholder each. */
const KEYS_PER_LOOKUP = 1_000;

/** The staging table of the versions a batch closes: key, valid_from (which version), valid_to. */
export const closesStagingOf = (table: TableDefinition): StagingTable => {
  const shape = historyShape(table);
  return { ...stagingOf(table, 'closes'), columns: [shape.key, VALID_FROM_COLUMN, VALID_TO_COLUMN] };
};

/** The SDK gives timestamps as Dates (SfDate), maps as parsed objects, numbers as numbers: comparableText's forms. */
const readBack = (value: unknown): unknown => (value instanceof Date ? value.getTime() : value);

async function latestVersions(
  session: SnowflakeSession,
  table: TableDefinition,
  shape: HistoryShape,
  keys: readonly string[],
): Promise<Map<string, StoredVersion>> {
  const k = quote(shape.key.name);
  const versions = new Map<string, StoredVersion>();
  for (let start = 0; start < keys.length; start += KEYS_PER_LOOKUP) {
    const chunk = keys.slice(start, start + KEYS_PER_LOOKUP);
    const rows = await session.query(
      `SELECT ${k}, ${quote('valid_from')}, ${quote('valid_to')}${shape.attributes.map((c) => `, ${quote(c.name)}`).join('')}
         FROM ${quote(table.name)} WHERE ${k} IN (${chunk.map(() => '?').join(', ')})
       QUALIFY ROW_NUMBER() OVER (PARTITION BY ${k} ORDER BY ${quote('valid_from')} DESC) = 1`,
      chunk,
    );
    for (const row of rows) {
      const validTo = readBack(row['VALID_TO']);
      versions.set(String(row[shape.key.name.toUpperCase()]), {
        validFrom: Number(readBack(row['VALID_FROM'])),
        validTo: validTo === null ? null : Number(validTo),
        fingerprint: historyFingerprint(shape.attributes, (column: ColumnDefinition) => readBack(row[column.name.toUpperCase()])),
      });
    }
  }
  return versions;
}

const internalProblem = (table: TableDefinition, what: string) => (_: unknown, column: ColumnDefinition, problem: string) =>
  fatalError('WAREHOUSE_FAILED', `${table.name} ${what}: ${column.name}: ${problem}`);

/**
 * Dimension history (SCD2): reads the latest stored version of every key in the batch, plans closes and new versions
 * in memory (planHistory, shared with DuckDB), then closes with one UPDATE and inserts with one INSERT, both from
 * staged rows.
 */
export async function writeHistory<R extends KeyedSourceRecord<object>>(context: WriteContext, table: TableDefinition, batch: NewBatch<R>): Promise<void> {
  const { session, stageThreshold } = context;
  const shape = historyShape(table);
  const changes = historyChanges(table, shape, batch);
  const keys = [...new Set(changes.map((change) => change.key))];
  const plan = planHistory(await latestVersions(session, table, shape, keys), changes);

  if (plan.closes.length > 0) {
    const staging = closesStagingOf(table);
    await loadStaging(session, staging, encodeRows(closeColumns(shape), plan.closes, internalProblem(table, 'closes')), stageThreshold);
    const k = quote(shape.key.name);
    const from = quote('valid_from');
    await session.query(
      `UPDATE ${quote(table.name)} AS t SET ${quote('valid_to')} = c.${quote('valid_to')} FROM (${stagedRowsSql(staging)}) AS c
        WHERE t.${k} = c.${k} AND t.${from} = c.${from}`,
    );
  }

  if (plan.inserts.length > 0) {
    const staging = stagingOf(table);
    const rows = encodeRows(versionColumns(table, batch, plan.inserts), plan.inserts, internalProblem(table, 'versions'));
    await loadStaging(session, staging, rows, stageThreshold);
    await session.query(appendSql(table, staging));
  }
}
