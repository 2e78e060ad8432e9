import { fatalError, isMeterlineError, type MeterlineError, poisonError, transientError } from '@meterline/stream';

/** The fields of the SDK's errors this reads (they are plain Errors with these added). */
interface SdkError {
  readonly name?: string;
  readonly code?: string | number;
  readonly sqlState?: string;
  readonly message?: string;
  readonly response?: { readonly statusCode?: number; readonly status?: number };
}

/** The SDK's own failures to reach Snowflake or read its answer (error names of snowflake-sdk's errors.js). */
const UNREACHABLE_NAMES: ReadonlySet<string> = new Set(['NetworkError', 'LargeResultSetError']);

/**
 * A statement that waited for a lock another transaction holds and did not get it: 000625 (57014). A deadlock victim
 * or a serialization failure carries SQLSTATE 40001. (The fake the tests use reports DuckDB's write-write conflicts as
 * 000625 too.) Retrying the whole batch is right: the writer rolls its transaction back.
 */
const CONFLICT_CODES: ReadonlySet<string> = new Set(['000625']);

/** Session tokens that expired mid-request (the SDK logs in again on the next statement). */
const SESSION_CODES: ReadonlySet<string> = new Set(['390112', '390114']);

const SQLSTATE_CLASS_UNAVAILABLE = ['08', '57'];

/**
 * Classifies what the SDK threw: transient when waiting helps (network, HTTP 5xx or 429, an expired session, a lock
 * held by another transaction, a cancelled or timed-out statement), poison for a value Snowflake cannot convert
 * (SQLSTATE class 22, data exception), fatal for everything else (wrong SQL, missing objects, privileges, bad options).
 */
export function classifySnowflakeError(err: unknown, what: string): MeterlineError {
  if (isMeterlineError(err)) return err;
  const sdk = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const reason = (err instanceof Error ? err.message : (sdk.message ?? String(err))).split('\n')[0] ?? '';
  const code = sdk.code === undefined ? '' : String(sdk.code);
  const sqlState = sdk.sqlState ?? '';
  const message = `${what}: ${code === '' ? '' : `${code} `}${sqlState === '' ? '' : `(${sqlState}) `}${reason}`;
  const details = { code, sqlState };
  const status = sdk.response?.statusCode ?? sdk.response?.status;

  if (CONFLICT_CODES.has(code) || sqlState === '40001') return transientError('WAREHOUSE_CONFLICT', message, { cause: err, details });
  if (
    UNREACHABLE_NAMES.has(sdk.name ?? '') ||
    (sdk.name === 'RequestFailedError' && (status === undefined || status >= 500 || status === 429)) ||
    SESSION_CODES.has(code) ||
    SQLSTATE_CLASS_UNAVAILABLE.some((prefix) => sqlState.startsWith(prefix))
  ) {
    return transientError('WAREHOUSE_UNAVAILABLE', message, { cause: err, details });
  }
  // A conversion Snowflake refuses in a batch statement cannot be pinned on one record (the writers check every value
  // before sending, with lineage); retrying the batch would fail the same way.
  if (sqlState.startsWith('22')) return poisonError('WAREHOUSE_ROW_CONVERSION', message, { cause: err, details });
  return fatalError('WAREHOUSE_FAILED', message, { cause: err, details });
}
