import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import * as avro from 'avsc';
import { classifyLookupError, classifyRegisterError } from './registry-errors';

export type AvroSchema = avro.Schema;

export interface RegistryOptions {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:38081/apis/ccompat/v7 */
  readonly url: string;
  readonly clientId?: string;
  /** HTTP retries inside one lookup; callers add their own bounded backoff on top for transient failures. */
  readonly retries?: number;
  readonly requestTimeoutMs?: number;
}

/**
 * Registers our schemas and looks up writer schemas by id. Both are cached for the life of the process: a schema id
 * is immutable in a Confluent-compatible registry, so after the first record of each writer schema the hot path makes
 * no HTTP call.
 */
export class SchemaRegistryClient {
  private readonly client: SchemaRegistry;
  private readonly writerTypes = new Map<number, Promise<avro.Type>>();
  private readonly registered = new Map<string, Promise<number>>();

  constructor(readonly options: RegistryOptions) {
    this.client = new SchemaRegistry({
      host: options.url,
      clientId: options.clientId ?? 'meterline',
      retry: { retries: options.retries ?? 2, initialRetryTimeInSecs: 0.1, maxRetryTimeInSecs: 2 },
    });
  }

  /**
   * Registers (or finds) `schema` under `subject`, returning its id; registering an identical schema is idempotent.
   * This one call goes straight to the REST API: the client library refuses unnamed schemas ("Invalid name"), and
   * our keys are plain Avro `"string"`, as Java's KafkaAvroSerializer writes a String key. Compatibility is the
   * registry's global BACKWARD, so a change that breaks it is answered with 409 and classified as such.
   */
  register(subject: string, schema: AvroSchema): Promise<number> {
    const canonical = JSON.stringify(schema);
    const cacheKey = `${subject}\u0000${canonical}`;
    let pending = this.registered.get(cacheKey);
    if (!pending) {
      pending = this.post(`/subjects/${encodeURIComponent(subject)}/versions`, { schema: canonical })
        .then((body) => {
          const id = (body as { id?: unknown }).id;
          if (typeof id !== 'number') throw new Error(`registry answered without a schema id: ${JSON.stringify(body)}`);
          return id;
        })
        .catch((err: unknown) => {
          this.registered.delete(cacheKey);
          throw classifyRegisterError(err, subject);
        });
      this.registered.set(cacheKey, pending);
    }
    return pending;
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.options.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
    });
    const text = await response.text();
    if (!response.ok) {
      const message = (safeJson(text) as { message?: string } | undefined)?.message ?? text;
      throw Object.assign(new Error(`HTTP ${response.status}: ${message}`), { status: response.status });
    }
    return safeJson(text);
  }

  /** The schema a record was written with. Concurrent lookups of one id share a single request. */
  writerType(schemaId: number): Promise<avro.Type> {
    let pending = this.writerTypes.get(schemaId);
    if (!pending) {
      pending = this.client
        .getSchema(schemaId)
        // Rebuilt from its JSON so our decoders never depend on the options the client parsed it with.
        .then((schema) => avro.Type.forSchema((schema as avro.Type).schema()))
        .catch((err: unknown) => {
          // Forget failures: a transient one must be retried, and an unknown id may be registered later.
          this.writerTypes.delete(schemaId);
          throw classifyLookupError(err, schemaId);
        });
      this.writerTypes.set(schemaId, pending);
    }
    return pending;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
