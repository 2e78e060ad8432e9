import { fatalError, type MeterlineError, isMeterlineError, transientError } from '@meterline/stream';

/**
 * DuckDB reports errors as `<Type> Error: <message>` (the C API's error types are not exposed to JavaScript, the
 * prefix is). Transient ones go away by themselves: the file locked by another process, disk or memory pressure,
 * another transaction of this process writing the same row (optimistic concurrency: retry the whole batch).
 */
const TRANSIENT: readonly { readonly pattern: RegExp; readonly code: string }[] = [
  { pattern: /^IO Error:|Could not set lock on file/, code: 'WAREHOUSE_UNAVAILABLE' },
  { pattern: /^Out of Memory Error:/, code: 'WAREHOUSE_UNAVAILABLE' },
  { pattern: /^Interrupt Error:/, code: 'WAREHOUSE_UNAVAILABLE' },
  { pattern: /^TransactionContext Error:.*Conflict/, code: 'WAREHOUSE_CONFLICT' },
];

/** Classifies what DuckDB threw; anything not known to be transient is a bug (wrong SQL, a violated constraint). */
export function classifyDuckDbError(err: unknown, what: string): MeterlineError {
  if (isMeterlineError(err)) return err;
  // Statements fail with the bare message, the C API's pending results with "Error: " in front of it.
  const reason = (err instanceof Error ? err.message : String(err)).replace(/^Error: /, '');
  const message = `${what}: ${reason.split('\n')[0] ?? reason}`;
  const transient = TRANSIENT.find(({ pattern }) => pattern.test(reason));
  return transient === undefined
    ? fatalError('WAREHOUSE_FAILED', message, { cause: err })
    : transientError(transient.code, message, { cause: err });
}
