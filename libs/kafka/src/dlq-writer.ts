import type { IHeaders, Producer } from 'kafkajs';
import type { MeterlineError } from '@meterline/stream';
import { classifyKafkaError } from './kafka-errors';

/** One record that can never be processed, with the bytes exactly as they arrived. */
export interface DeadLetter {
  /** The dead-letter topic: `<source topic>.dlq`. */
  readonly topic: string;
  readonly key: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly error: MeterlineError;
  /** Where it came from, written as `source.<name>` headers: topic/partition/offset, or file/line, or request/index. */
  readonly source: Readonly<Record<string, string>>;
  /** The step that rejected it, when a pipeline did. */
  readonly step?: string;
  /** The original record's headers, kept so a replay from the DLQ loses nothing. */
  readonly headers?: IHeaders;
}

/** Header values are bounded: a DLQ record must stay well under the broker's message size limit. */
const MAX_HEADER_CHARS = 2_000;
const clip = (s: string) => (s.length > MAX_HEADER_CHARS ? `${s.slice(0, MAX_HEADER_CHARS - 1)}…` : s);

export function deadLetterHeaders(d: DeadLetter): IHeaders {
  const headers: IHeaders = { ...d.headers };
  headers['error.code'] = d.error.code;
  headers['error.message'] = clip(d.error.message);
  headers['error.kind'] = d.error.kind;
  if (d.step !== undefined) headers['error.step'] = d.step;
  for (const [name, value] of Object.entries(d.error.details)) headers[`error.detail.${name}`] = clip(String(value));
  for (const [name, value] of Object.entries(d.source)) headers[`source.${name}`] = value;
  headers['dlq.time'] = new Date().toISOString();
  return headers;
}

/** Writes dead letters with acks from all in-sync replicas: a record is committed only once its DLQ copy is safe. */
export class DlqWriter {
  constructor(private readonly producer: Producer) {}

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const byTopic = new Map<string, { key: Buffer | string | null; value: Buffer | string | null; headers: IHeaders }[]>();
    for (const d of letters) {
      const messages = byTopic.get(d.topic) ?? [];
      messages.push({ key: d.key, value: d.value, headers: deadLetterHeaders(d) });
      byTopic.set(d.topic, messages);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (err) {
      throw classifyKafkaError(err, 'writing to the dead-letter topic');
    }
  }
}
