import { fatalError, MeterlineError, poisonError, transientError } from '@meterline/stream';

/**
 * The registry client (mappersmith underneath) reports network failures as HTTP 400 responses whose message is the
 * socket error, so a status alone cannot tell "registry down" from "bad request": look at the message too.
 */
const NETWORK_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|socket hang up|timeout|fetch failed/i;

function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function isRegistryUnavailable(err: unknown): boolean {
  const status = statusOf(err);
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) return true;
  return NETWORK_FAILURE.test(messageOf(err));
}

/** A failed lookup of a writer schema by the id found in a record. */
export function classifyLookupError(err: unknown, schemaId: number): MeterlineError {
  if (err instanceof MeterlineError) return err;
  if (isRegistryUnavailable(err)) {
    return transientError('REGISTRY_UNAVAILABLE', `schema registry unavailable: ${messageOf(err)}`, { cause: err });
  }
  if (statusOf(err) === 404) {
    return poisonError('DECODE_UNKNOWN_SCHEMA', `schema id ${schemaId} is not known to the registry`, {
      cause: err,
      details: { schemaId },
    });
  }
  return fatalError('REGISTRY_LOOKUP_FAILED', `looking up schema id ${schemaId} failed: ${messageOf(err)}`, { cause: err });
}

/** A failed registration of one of our own schemas: never a record's fault, so never poison. */
export function classifyRegisterError(err: unknown, subject: string): MeterlineError {
  if (err instanceof MeterlineError) return err;
  if (isRegistryUnavailable(err)) {
    return transientError('REGISTRY_UNAVAILABLE', `schema registry unavailable: ${messageOf(err)}`, { cause: err });
  }
  const status = statusOf(err);
  if (status === 409) {
    return fatalError(
      'SCHEMA_INCOMPATIBLE',
      `the registry rejected the schema for subject ${subject} as incompatible with its earlier versions ` +
        `(a new field needs a default under BACKWARD compatibility): ${messageOf(err)}`,
      { cause: err, details: { subject } },
    );
  }
  if (status === 422) {
    return fatalError('SCHEMA_INVALID', `the registry rejected the schema for subject ${subject}: ${messageOf(err)}`, {
      cause: err,
      details: { subject },
    });
  }
  return fatalError('REGISTRY_REGISTER_FAILED', `registering subject ${subject} failed: ${messageOf(err)}`, {
    cause: err,
    details: { subject },
  });
}
