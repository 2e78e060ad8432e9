import type { KafkaMessage } from 'kafkajs';
import { poisonError } from '@meterline/stream';
import type { Decoded } from './avro-serde';
import type { TopicHandle } from './topic-handle';

/**
 * Key and value of each message, decoded through the registry. A record that can never decode is an error entry
 * (poison); a registry outage throws (transient). A null key decodes to null; a null value is a tombstone on a
 * compacted topic and poison elsewhere.
 */
export async function decodeMessages<K, V>(
  input: TopicHandle<K, V>,
  messages: readonly KafkaMessage[],
): Promise<Decoded<{ key: K | null; value: V }>[]> {
  const [keys, values] = await Promise.all([
    input.key.decodeAll(messages.flatMap((m) => (m.key ? [m.key] : []))),
    input.value.decodeAll(messages.flatMap((m) => (m.value ? [m.value] : []))),
  ]);
  let k = 0;
  let v = 0;
  return messages.map((m) => {
    const key: Decoded<K | null> = m.key ? (keys[k++] as Decoded<K>) : { ok: true, value: null };
    const value: Decoded<V | null> = m.value
      ? (values[v++] as Decoded<V>)
      : input.tombstones
        ? { ok: true, value: null }
        : { ok: false, error: poisonError('NULL_VALUE', `null value on ${input.name}, which is not a compacted topic`) };
    if (!key.ok) return key;
    if (!value.ok) return value;
    return { ok: true, value: { key: key.value, value: value.value as V } };
  });
}
