import { randomBytes } from 'node:crypto';

const LEGAL = /^[A-Za-z0-9._-]+$/;
let counter = 0;

/**
 * A topic, group or subject name no other test, run or process uses: the stack is shared (parallel jest workers, runs
 * reusing a stack that is still up), so fixed names would see each other's records. The suffix is random plus a
 * per-process counter; the result uses only the characters Kafka allows in topic names.
 */
export function uniqueName(prefix: string): string {
  if (!LEGAL.test(prefix)) throw new Error(`uniqueName: "${prefix}" has characters Kafka does not allow in topic names`);
  counter += 1;
  return `${prefix}-${randomBytes(4).toString('hex')}${counter.toString(36)}`;
}
