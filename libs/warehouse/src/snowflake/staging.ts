import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fatalError } from '@meterline/stream';
import { type ColumnDefinition, type ColumnType, isMapType } from '../model/column';
import type { ColumnReader } from '../model/record-columns';
import { canonicalJson, valueCheck } from '../model/values';
import type { SnowflakeSession } from './snowflake-session';
import { quote, snowflakeType } from './snowflake-types';

/**
 * Rows travel to Snowflake as text, one VARCHAR column per target column in a temporary staging table, and are
 * converted to their real types by one INSERT/MERGE ... SELECT inside Snowflake (`decodeSql`). Text is the one form
 * both loading paths carry alike: an array bind (the SDK infers each bound column's type from its first row, so a
 * null or an integer-looking first double would mistype the rest) and a CSV file.
 *
 * Strings carry a one-character prefix, removed when decoding: a CSV field then is never empty, so an empty field
 * (no quotes) always means null and an empty string is `"="`, whatever the file format makes of quoted empty fields or
 * of `\N` (Snowflake's and DuckDB's CSV readers differ there).
 */
const STRING_PREFIX = '=';

export type ProblemHandler<R> = (record: R, column: ColumnDefinition, problem: string) => Error;

/** The text of a checked, non-null value. */
function encoder(type: ColumnType): (value: unknown) => string {
  if (isMapType(type)) return (value) => canonicalJson(value as Readonly<Record<string, unknown>>);
  switch (type) {
    case 'string':
      return (value) => STRING_PREFIX + (value as string);
    case 'float':
    case 'double':
      // Snowflake's (and DuckDB's) spellings of the special values; String() gives NaN and Infinity.
      return (value) => (Number.isFinite(value) ? String(value) : Number.isNaN(value) ? 'NaN' : (value as number) > 0 ? 'inf' : '-inf');
    default:
      // booleans as true/false, ints, longs (numbers or bigints) and epoch milliseconds as digits
      return (value) => String(value);
  }
}

/** The expression turning a staged text column back into the target column's type. */
export function decodeSql(column: ColumnDefinition, ref: string): string {
  if (isMapType(column.type)) return `PARSE_JSON(${ref})`;
  switch (column.type) {
    case 'string':
      return `SUBSTR(${ref}, ${STRING_PREFIX.length + 1})`;
    case 'timestamp':
      return `TO_TIMESTAMP_NTZ(CAST(${ref} AS NUMBER(19,0)), 3)`;
    default:
      return `CAST(${ref} AS ${snowflakeType(column.type)})`;
  }
}

/** Every value of every record as staged text, checked against its column on the way (a misfit raises onProblem's error). */
export function encodeRows<R>(columns: readonly ColumnReader<R>[], records: readonly R[], onProblem: ProblemHandler<R>): (string | null)[][] {
  const lanes = columns.map(({ column, get }) => ({ column, get, check: valueCheck(column), encode: encoder(column.type) }));
  return records.map((record, index) =>
    lanes.map(({ column, get, check, encode }) => {
      const value = get(record, index);
      const problem = check(value);
      if (problem !== undefined) throw onProblem(record, column, problem);
      return value === null ? null : encode(value);
    }),
  );
}

/** A staging table: created (empty) before the batch's transaction, because Snowflake commits one at any DDL. */
export interface StagingTable {
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
}

export const createStagingSql = (staging: StagingTable): string =>
  `CREATE OR REPLACE TEMPORARY TABLE ${quote(staging.name)} (${staging.columns.map((c) => `${quote(c.name)} VARCHAR`).join(', ')})`;

/** `SELECT <decoded columns> FROM <staging table>`: the staged rows with their real types, aliased to the column names. */
export const stagedRowsSql = (staging: StagingTable): string =>
  `SELECT ${staging.columns.map((c) => `${decodeSql(c, quote(c.name))} AS ${quote(c.name)}`).join(', ')} FROM ${quote(staging.name)}`;

const csvField = (value: string | null) => (value === null ? '' : `"${value.replaceAll('"', '""')}"`);

/**
 * Large batches: the rows as a CSV file, PUT to the staging table's own stage (compressed by the SDK on the way), then
 * COPY INTO. The file goes only to this session's temporary table's stage, which disappears with it.
 */
async function copyThroughStage(session: SnowflakeSession, staging: StagingTable, rows: readonly (readonly (string | null)[])[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'meterline-snowflake-'));
  try {
    const file = join(dir, `${staging.name.toLowerCase()}.csv`);
    writeFileSync(file, rows.map((row) => row.map(csvField).join(',')).join('\n'));
    // Unquoted: staging names are plain identifiers, and the fake does not parse a quoted table stage.
    const stage = `@%${staging.name.toUpperCase()}`;
    await session.query(`PUT 'file://${file.replaceAll("'", "\\'")}' ${stage} OVERWRITE = TRUE`);
    const results = await session.query(
      `COPY INTO ${quote(staging.name)} FROM ${stage} FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"') PURGE = TRUE`,
    );
    const loaded = results.reduce((sum, r) => sum + Number(r['rows_loaded'] ?? 0), 0);
    if (loaded !== rows.length) {
      throw fatalError('WAREHOUSE_FAILED', `COPY INTO ${staging.name} loaded ${loaded} of ${rows.length} rows: ${JSON.stringify(results).slice(0, 500)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Fills the (empty) staging table with the rows: one array bind below `stageThreshold` rows, a stage from there on. */
export async function loadStaging(
  session: SnowflakeSession,
  staging: StagingTable,
  rows: readonly (readonly (string | null)[])[],
  stageThreshold: number,
): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length >= stageThreshold) return copyThroughStage(session, staging, rows);
  const placeholders = staging.columns.map(() => '?').join(', ');
  await session.query(`INSERT INTO ${quote(staging.name)} (${staging.columns.map((c) => quote(c.name)).join(', ')}) VALUES (${placeholders})`, rows);
}
