import * as avro from 'avsc';
import { fatalError, isMeterlineError, MeterlineError, poisonError } from '@meterline/stream';
import type { AvroSchema, SchemaRegistryClient } from './schema-registry';
import { frame, HEADER_BYTES, MAGIC_BYTE, unframe } from './wire-format';

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: MeterlineError };

type Decoder<T> = (body: Buffer) => T;

/**
 * Avro in Confluent wire format for one subject. Encoding always uses our (current) schema; decoding reads whatever
 * schema id the record names and resolves it into our schema, so a consumer keeps working while producers move to a
 * newer BACKWARD-compatible version.
 */
export class AvroSerde<T> {
  private readonly type: avro.Type;
  private schemaId: number | undefined;
  /** One decoder per writer schema id. Ids are immutable, so entries never go stale. */
  private readonly decoders = new Map<number, Decoder<T>>();

  constructor(
    private readonly registry: SchemaRegistryClient,
    readonly subject: string,
    readonly schema: AvroSchema,
  ) {
    this.type = avro.Type.forSchema(schema);
  }

  /** Registers the schema (idempotent). Must run before `encode`, at start-up, so the hot path needs no I/O. */
  async prepare(): Promise<number> {
    this.schemaId ??= await this.registry.register(this.subject, this.schema);
    return this.schemaId;
  }

  encode(value: T): Buffer {
    if (this.schemaId === undefined) {
      throw fatalError('SERDE_NOT_PREPARED', `serde for ${this.subject} used before prepare()`);
    }
    let body: Buffer;
    try {
      body = this.type.toBuffer(value);
    } catch (err) {
      const paths: string[] = [];
      this.type.isValid(value, { errorHook: (path) => paths.push(path.join('.') || '(root)') });
      throw poisonError('ENCODE_INVALID', `value does not match ${this.subject}: invalid ${paths.join(', ') || 'value'}`, {
        cause: err,
      });
    }
    return frame(this.schemaId, body);
  }

  /**
   * Decodes a batch. Writer schemas not seen before are fetched first, concurrently, so that decoding itself is
   * synchronous. A record that can never decode yields an error entry; a registry outage throws (transient).
   */
  async decodeAll(data: readonly Buffer[]): Promise<Decoded<T>[]> {
    const failedIds = await this.loadDecoders(data);
    return data.map((d) => this.decodeOne(d, failedIds));
  }

  private async loadDecoders(data: readonly Buffer[]): Promise<Map<number, MeterlineError>> {
    const missing = new Set<number>();
    for (const d of data) {
      if (d.length >= HEADER_BYTES && d[0] === MAGIC_BYTE) {
        const id = d.readUInt32BE(1);
        if (!this.decoders.has(id)) missing.add(id);
      }
    }
    const failed = new Map<number, MeterlineError>();
    await Promise.all(
      [...missing].map(async (id) => {
        try {
          this.decoders.set(id, this.decoderFor(id, await this.registry.writerType(id)));
        } catch (err) {
          if (!isMeterlineError(err) || err.kind !== 'poison') throw err;
          failed.set(id, err);
        }
      }),
    );
    return failed;
  }

  private decoderFor(id: number, writer: avro.Type): Decoder<T> {
    if (id === this.schemaId || writer.equals(this.type)) return (body) => this.read(body);
    let resolver: avro.Resolver;
    try {
      resolver = this.type.createResolver(writer);
    } catch (err) {
      throw poisonError('DECODE_INCOMPATIBLE_SCHEMA', `writer schema id ${id} cannot be read as ${this.subject}`, {
        cause: err,
        details: { schemaId: id },
      });
    }
    return (body) => this.read(body, resolver);
  }

  private read(body: Buffer, resolver?: avro.Resolver): T {
    let result: { value: unknown; offset: number };
    try {
      result = this.type.decode(body, 0, resolver);
    } catch (err) {
      throw poisonError('DECODE_INVALID_AVRO', `Avro body is not valid: ${(err as Error).message}`, { cause: err });
    }
    if (result.offset < 0) {
      throw poisonError('DECODE_TRUNCATED', `Avro body of ${body.length} bytes ends before the record does`);
    }
    if (result.offset !== body.length) {
      throw poisonError('DECODE_TRAILING_BYTES', `${body.length - result.offset} bytes left after the Avro record`);
    }
    return result.value as T;
  }

  private decodeOne(data: Buffer, failedIds: ReadonlyMap<number, MeterlineError>): Decoded<T> {
    try {
      const { schemaId, body } = unframe(data);
      const failure = failedIds.get(schemaId);
      if (failure) return { ok: false, error: failure };
      const decoder = this.decoders.get(schemaId);
      if (!decoder) throw fatalError('SERDE_DECODER_MISSING', `no decoder loaded for schema id ${schemaId}`);
      return { ok: true, value: decoder(body) };
    } catch (err) {
      if (isMeterlineError(err) && err.kind === 'poison') return { ok: false, error: err };
      throw err;
    }
  }
}
