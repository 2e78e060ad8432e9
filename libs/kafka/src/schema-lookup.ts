import { fatalError, type MeterlineError, poisonError, transientError } from '@meterline/stream';
import type { AvroSchema } from './schema-registry';
import { isRegistryUnavailable } from './registry-errors';

/**
 * Two lookups of the Confluent REST API (Apicurio's ccompat API answers both) that the registry client library does
 * not offer: a schema's JSON exactly as registered, and the versions a schema id has under each subject. The JSON is
 * fetched as text because the client library's parsed types drop field defaults and logical types, which a reader
 * (and a warehouse adding columns) needs.
 */

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

async function getJson(url: string, what: string, schemaId: number, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw transientError('REGISTRY_UNAVAILABLE', `schema registry unavailable while ${what}: ${messageOf(err)}`, { cause: err });
  }
  const text = await response.text();
  if (response.ok) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw fatalError('REGISTRY_LOOKUP_FAILED', `${what}: the registry answered with something other than JSON`, { cause: err });
    }
  }
  const failure = Object.assign(new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`), { status: response.status });
  throw classifyStatus(failure, response.status, what, schemaId);
}

function classifyStatus(err: Error, status: number, what: string, schemaId: number): MeterlineError {
  if (isRegistryUnavailable(err)) return transientError('REGISTRY_UNAVAILABLE', `schema registry unavailable while ${what}: ${err.message}`, { cause: err });
  // An id no registry knows can only come from a record written against another registry: it never decodes.
  if (status === 404) return poisonError('DECODE_UNKNOWN_SCHEMA', `schema id ${schemaId} is not known to the registry`, { cause: err, details: { schemaId } });
  return fatalError('REGISTRY_LOOKUP_FAILED', `${what} failed: ${err.message}`, { cause: err });
}

/** The schema registered under `schemaId`, as JSON (with docs, defaults and logical types). */
export async function fetchSchemaById(registryUrl: string, schemaId: number, timeoutMs = 10_000): Promise<AvroSchema> {
  const what = `looking up schema id ${schemaId}`;
  const body = (await getJson(`${registryUrl}/schemas/ids/${schemaId}`, what, schemaId, timeoutMs)) as { schema?: unknown };
  if (typeof body.schema !== 'string') throw fatalError('REGISTRY_LOOKUP_FAILED', `${what}: the answer holds no schema`);
  try {
    return JSON.parse(body.schema) as AvroSchema;
  } catch (err) {
    throw fatalError('REGISTRY_LOOKUP_FAILED', `${what}: the registered schema is not JSON`, { cause: err });
  }
}

/**
 * The version number `schemaId` has under `subject`, or undefined when it was never registered there. A registry
 * stores identical schemas once, so one id can be a version of several subjects (each topic prefix is a subject).
 */
export async function subjectVersionOf(
  registryUrl: string,
  subject: string,
  schemaId: number,
  timeoutMs = 10_000,
): Promise<number | undefined> {
  const what = `looking up the versions of schema id ${schemaId}`;
  const body = await getJson(`${registryUrl}/schemas/ids/${schemaId}/versions`, what, schemaId, timeoutMs);
  if (!Array.isArray(body)) throw fatalError('REGISTRY_LOOKUP_FAILED', `${what}: expected a list of subject versions`);
  const entry = (body as { subject?: unknown; version?: unknown }[]).find((e) => e.subject === subject);
  return typeof entry?.version === 'number' ? entry.version : undefined;
}

/** The newest version registered under `subject`, or undefined when the subject has none. */
export async function latestVersionOf(
  registryUrl: string,
  subject: string,
  timeoutMs = 10_000,
): Promise<{ readonly schemaId: number; readonly version: number } | undefined> {
  const what = `looking up the latest version of ${subject}`;
  try {
    const body = (await getJson(`${registryUrl}/subjects/${encodeURIComponent(subject)}/versions/latest`, what, 0, timeoutMs)) as {
      id?: unknown;
      version?: unknown;
    };
    if (typeof body.id !== 'number' || typeof body.version !== 'number') throw fatalError('REGISTRY_LOOKUP_FAILED', `${what}: no id or version in the answer`);
    return { schemaId: body.id, version: body.version };
  } catch (err) {
    // getJson reads a 404 as an unknown schema id; here it means a subject without versions.
    if (err instanceof Error && (err as MeterlineError).code === 'DECODE_UNKNOWN_SCHEMA') return undefined;
    throw err;
  }
}
