import * as avro from 'avsc';
import { fatalError, isMeterlineError, type MeterlineError, poisonError } from '@meterline/stream';
import type { Decoded } from './avro-serde';
import { fetchSchemaById, latestVersionOf, subjectVersionOf } from './schema-lookup';
import type { AvroSchema, SchemaRegistryClient } from './schema-registry';
import { HEADER_BYTES, MAGIC_BYTE, unframe } from './wire-format';

/** The reader schema moved to a newer registered version of the subject. */
export interface SchemaUpgrade {
  readonly subject: string;
  readonly schemaId: number;
  /** The subject's version number in the registry. */
  readonly version: number;
  /** The writer schema as registered (docs, defaults, logical types): the reader schema from now on. */
  readonly schema: AvroSchema;
}

export interface DecodedValues<T> {
  readonly values: Decoded<T>[];
  /** Upgrades made before decoding this call's data, oldest first; values are read with the last one. */
  readonly upgrades: readonly SchemaUpgrade[];
}

interface Writer {
  readonly schema: AvroSchema;
  readonly type: avro.Type;
  /** Its version under our subject; undefined when registered under other subjects only. */
  readonly version: number | undefined;
}

type Decoder<T> = (body: Buffer) => T;

/**
 * Decodes the values of one subject (Confluent wire format) with the newest version of the subject seen so far as the
 * reader schema. AvroSerde reads everything into the schema it was built with, so fields a newer producer added are
 * dropped; a loader that mirrors the schema into a warehouse must see them. So when a record names a writer schema
 * that is a newer version of the subject (by the registry's version number), that schema becomes the reader, the
 * caller is told (`upgrades`, to evolve its tables first), and records of older writers are resolved into it: fields
 * they lack read as the new schema's defaults, as any Avro reader of the new version would see them.
 *
 * A newer version that cannot read the data of the current reader is an incompatible change (the registry's BACKWARD
 * check was bypassed): fatal, because loading it would mix two meanings under one column.
 */
export class EvolvingDecoder<T> {
  private reader: avro.Type;
  private readerSchema: AvroSchema;
  private readerId: number | undefined;
  private readerVersion = 0;
  /** Lookups by writer schema id, shared by concurrent calls; `known` holds the finished ones. */
  private readonly writers = new Map<number, Promise<Writer>>();
  private readonly known = new Map<number, Writer>();
  /** Per writer id, for the current reader only: cleared on every upgrade. */
  private readonly decoders = new Map<number, Decoder<T>>();

  constructor(
    private readonly registry: SchemaRegistryClient,
    readonly subject: string,
    schema: AvroSchema,
  ) {
    this.readerSchema = schema;
    this.reader = avro.Type.forSchema(schema);
  }

  /**
   * Registers the initial reader schema (idempotent) and learns its version; then, if the subject already has a newer
   * version, reads with that one from the start, so records loaded before its first record arrives read its defaults
   * too. Returns that upgrade, if any; call once before decoding.
   */
  async prepare(): Promise<readonly SchemaUpgrade[]> {
    const url = this.registry.options.url;
    const id = await this.registry.register(this.subject, this.readerSchema);
    this.readerId = id;
    this.readerVersion = (await subjectVersionOf(url, this.subject, id)) ?? 0;
    const latest = await latestVersionOf(url, this.subject);
    if (latest === undefined || latest.version <= this.readerVersion) return [];
    this.known.set(latest.schemaId, await this.writer(latest.schemaId));
    return this.upgrade([latest.schemaId]);
  }

  /** The schema values are currently read with. */
  get schema(): AvroSchema {
    return this.readerSchema;
  }

  /**
   * Decodes a batch. Unknown writer schemas are looked up first (a registry outage throws a transient error, and no
   * upgrade is half made); a record that can never decode is an error entry (poison).
   */
  async decodeAll(data: readonly Buffer[]): Promise<DecodedValues<T>> {
    const failed = new Map<number, MeterlineError>();
    const ids = new Set<number>();
    for (const d of data) if (d.length >= HEADER_BYTES && d[0] === MAGIC_BYTE) ids.add(d.readUInt32BE(1));
    await Promise.all(
      [...ids].map(async (id) => {
        try {
          this.known.set(id, await this.writer(id));
        } catch (err) {
          if (!isMeterlineError(err) || err.kind !== 'poison') throw err;
          failed.set(id, err);
        }
      }),
    );
    const upgrades = this.upgrade([...ids]);
    return { values: data.map((d) => this.decodeOne(d, failed)), upgrades };
  }

  private writer(id: number): Promise<Writer> {
    let pending = this.writers.get(id);
    if (pending === undefined) {
      const url = this.registry.options.url;
      pending = Promise.all([fetchSchemaById(url, id), subjectVersionOf(url, this.subject, id)]).then(([schema, version]) => {
        try {
          return { schema, type: avro.Type.forSchema(schema as avro.Schema), version };
        } catch (err) {
          throw poisonError('DECODE_INVALID_SCHEMA', `schema id ${id} is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
        }
      });
      // Failures are forgotten: a transient one must be retried, and an unknown id may be registered later.
      pending.catch(() => this.writers.delete(id));
      this.writers.set(id, pending);
    }
    return pending;
  }

  /** Moves the reader to the newest version among the batch's writers, one version at a time (each step checked). */
  private upgrade(ids: readonly number[]): SchemaUpgrade[] {
    const newer = ids
      .map((id) => ({ id, writer: this.known.get(id) }))
      .filter((w): w is { id: number; writer: Writer & { version: number } } => (w.writer?.version ?? 0) > this.readerVersion)
      .sort((a, b) => a.writer.version - b.writer.version);
    const upgrades: SchemaUpgrade[] = [];
    for (const { id, writer } of newer) {
      try {
        writer.type.createResolver(this.reader);
      } catch (err) {
        throw fatalError(
          'SCHEMA_UPGRADE_INCOMPATIBLE',
          `${this.subject} version ${writer.version} (schema id ${id}) cannot read data of version ${this.readerVersion}: ` +
            `not a BACKWARD-compatible change (${(err as Error).message})`,
          { cause: err, details: { subject: this.subject, schemaId: id, version: writer.version } },
        );
      }
      this.reader = writer.type;
      this.readerSchema = writer.schema;
      this.readerId = id;
      this.readerVersion = writer.version;
      this.decoders.clear();
      upgrades.push({ subject: this.subject, schemaId: id, version: writer.version, schema: writer.schema });
    }
    return upgrades;
  }

  private decoderFor(id: number): Decoder<T> {
    let decoder = this.decoders.get(id);
    if (decoder !== undefined) return decoder;
    const writer = this.known.get(id);
    // decodeAll loaded every id of the batch first, so a missing writer here is a bug.
    if (writer === undefined) throw fatalError('SERDE_DECODER_MISSING', `no writer schema loaded for id ${id}`);
    const reader = this.reader;
    if (id === this.readerId || writer.type.equals(reader)) {
      decoder = (body) => read<T>(reader, body);
    } else {
      try {
        const resolver = reader.createResolver(writer.type);
        decoder = (body) => read<T>(reader, body, resolver);
      } catch (err) {
        const error = poisonError('DECODE_INCOMPATIBLE_SCHEMA', `writer schema id ${id} cannot be read as ${this.subject}`, {
          cause: err,
          details: { schemaId: id },
        });
        decoder = () => {
          throw error;
        };
      }
    }
    this.decoders.set(id, decoder);
    return decoder;
  }

  private decodeOne(data: Buffer, failed: ReadonlyMap<number, MeterlineError>): Decoded<T> {
    try {
      const { schemaId, body } = unframe(data);
      const failure = failed.get(schemaId);
      if (failure) return { ok: false, error: failure };
      return { ok: true, value: this.decoderFor(schemaId)(body) };
    } catch (err) {
      if (isMeterlineError(err) && err.kind === 'poison') return { ok: false, error: err };
      throw err;
    }
  }
}

function read<T>(type: avro.Type, body: Buffer, resolver?: avro.Resolver): T {
  let result: { value: unknown; offset: number };
  try {
    result = type.decode(body, 0, resolver);
  } catch (err) {
    throw poisonError('DECODE_INVALID_AVRO', `Avro body is not valid: ${(err as Error).message}`, { cause: err });
  }
  if (result.offset < 0) throw poisonError('DECODE_TRUNCATED', `Avro body of ${body.length} bytes ends before the record does`);
  if (result.offset !== body.length) throw poisonError('DECODE_TRAILING_BYTES', `${body.length - result.offset} bytes left after the Avro record`);
  return result.value as T;
}
