import type { Message, Transaction } from 'kafkajs';
import type { EncodedBatch } from './producer';

/**
 * Bytes of message data per produce request. kafkajs puts all of a request's messages for one partition into one
 * record batch, and the broker refuses a batch above `message.max.bytes` (1 MiB by default): a transaction of 20,000
 * records of one node (one partition) failed with "message larger than the max message size". Half a MiB per
 * request leaves room for record overhead and headers.
 */
export const MAX_REQUEST_BYTES = 512 * 1024;

const sizeOf = (m: Message): number => {
  let n = 64 + (m.key ? Buffer.byteLength(m.key as Buffer) : 0) + (m.value ? Buffer.byteLength(m.value as Buffer) : 0);
  for (const [name, value] of Object.entries(m.headers ?? {})) n += name.length + (value ? String(value).length : 0);
  return n;
};

/** Splits batches into requests of at most `maxBytes` of messages each (a bigger single message goes alone). */
export function splitIntoRequests(batches: readonly EncodedBatch[], maxBytes = MAX_REQUEST_BYTES): EncodedBatch[][] {
  const requests: EncodedBatch[][] = [];
  let current: EncodedBatch[] = [];
  let bytes = 0;
  for (const { topic, messages } of batches) {
    let run: Message[] = [];
    for (const m of messages) {
      const size = sizeOf(m);
      if (bytes > 0 && bytes + size > maxBytes) {
        if (run.length > 0) current.push({ topic, messages: run });
        requests.push(current);
        current = [];
        run = [];
        bytes = 0;
      }
      run.push(m);
      bytes += size;
    }
    if (run.length > 0) current.push({ topic, messages: run });
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

/** Sends the batches within one transaction, one bounded request after another (order per partition is kept). */
export async function sendInRequests(txn: Transaction, batches: readonly EncodedBatch[]): Promise<void> {
  for (const topicMessages of splitIntoRequests(batches)) await txn.sendBatch({ acks: -1, topicMessages });
}
