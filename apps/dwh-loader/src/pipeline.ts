import type { DeadLetter, Decoded, PartitionBatch } from '@meterline/kafka';
import type { AvroSchema, VersionedSchema } from '@meterline/schemas';
import { type MeterlineError, poisonError } from '@meterline/stream';
import type { KeyedSourceRecord, PoisonRecord } from '@meterline/warehouse';
import type { BatchItem } from './micro-batch';

/**
 * The pure steps between a fetch and a warehouse load, in order:
 *   to-load-items   decoded messages → records for the table, or dead letters (undecodable), in offset order
 *   split-poison    a batch's records → the ones the warehouse can write, and dead letters for the rest
 *   evolved-schema  a newer registered value schema → the table schema the warehouse evolves to
 * Decoding (registry lookups) and loading (the warehouse) are I/O and live in the loader around them.
 */

export type ConsumedMessage = PartitionBatch['messages'][number];

/** A consumed record on its way to its table, with the message it arrived as (a poison row goes to the DLQ as is). */
export interface LoadRecord extends KeyedSourceRecord<unknown> {
  readonly message: ConsumedMessage;
}

export type LoadItem = BatchItem<LoadRecord, DeadLetter>;

export const bytesOf = (m: ConsumedMessage): number => (m.key?.length ?? 0) + (m.value?.length ?? 0);

/** A record that will never load, as its DLQ entry: the original bytes and headers, why, and where it came from. */
export function deadLetterOf(
  dlqTopic: string,
  at: { readonly topic: string; readonly partition: number; readonly message: ConsumedMessage },
  error: MeterlineError,
  step: string,
): DeadLetter {
  const { message } = at;
  return {
    topic: dlqTopic,
    key: message.key,
    value: message.value,
    error,
    step,
    source: { topic: at.topic, partition: String(at.partition), offset: message.offset, timestamp: message.timestamp },
    ...(message.headers ? { headers: message.headers } : {}),
  };
}

export interface DecodedFetch {
  readonly batch: PartitionBatch;
  /** Decoded keys, parallel to the messages; absent when the table does not need them. */
  readonly keys?: readonly Decoded<string | null>[];
  /** Decoded values, parallel to the messages; null for a message without a value. */
  readonly values: readonly (Decoded<unknown> | null)[];
  /** A null value is a tombstone (compacted topics) rather than poison. */
  readonly tombstones: boolean;
  readonly dlqTopic: string;
}

/** Step `to-load-items`. */
export function toLoadItems({ batch, keys, values, tombstones, dlqTopic }: DecodedFetch): LoadItem[] {
  const { topic, partition } = batch;
  return batch.messages.map((message, i): LoadItem => {
    const bytes = bytesOf(message);
    const letter = (error: MeterlineError): LoadItem => ({
      kind: 'letter',
      letter: deadLetterOf(dlqTopic, { topic, partition, message }, error, 'decode'),
      offset: message.offset,
      bytes,
    });
    const key = keys?.[i];
    if (key !== undefined && !key.ok) return letter(key.error);
    const value = values[i];
    if (value === null || value === undefined) {
      if (!tombstones) return letter(poisonError('NULL_VALUE', `null value on ${topic}, which is not a compacted topic`));
    } else if (!value.ok) return letter(value.error);
    const record: LoadRecord = {
      topic,
      partition,
      offset: message.offset,
      key: key?.ok ? key.value : null,
      value: value?.ok ? value.value : null,
      timestamp: Number(message.timestamp),
      message,
    };
    return { kind: 'record', record, offset: message.offset, bytes };
  });
}

/** Step `split-poison`: the warehouse named the poison; everything else loads, in order. */
export function splitPoison(
  records: readonly LoadRecord[],
  poison: readonly PoisonRecord[],
  dlqTopicOf: (topic: string) => string,
): { readonly good: LoadRecord[]; readonly letters: DeadLetter[] } {
  if (poison.length === 0) return { good: [...records], letters: [] };
  const errors = new Map(poison.map((p) => [p.record as LoadRecord, p.error]));
  const good: LoadRecord[] = [];
  const letters: DeadLetter[] = [];
  for (const record of records) {
    const error = errors.get(record);
    if (error === undefined) good.push(record);
    else letters.push(deadLetterOf(dlqTopicOf(record.topic), record, error, 'warehouse'));
  }
  return { good, letters };
}

const fullName = (schema: AvroSchema): string | undefined => {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const { name, namespace } = schema as { name?: unknown; namespace?: unknown };
  if (typeof name !== 'string') return undefined;
  return name.includes('.') || typeof namespace !== 'string' ? name : `${namespace}.${name}`;
};

/**
 * Step `evolved-schema`. The warehouse orders versions of one family by number and ignores going back; the registry's
 * version numbers belong to the subject (test prefixes, history) and need not follow the .avsc files, so the table's
 * next schema is simply one version past its current one.
 */
export function evolvedSchema(current: VersionedSchema<unknown>, schema: AvroSchema): VersionedSchema<unknown> {
  return { family: current.family, name: fullName(schema) ?? current.name, version: current.version + 1, schema };
}
