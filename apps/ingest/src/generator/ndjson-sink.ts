import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DatasetFile } from './manifest';

export interface NdjsonSink {
  /** Adds one line (without its newline). Returns a promise only when the caller must wait for the disk to catch up. */
  write(line: string): Promise<void> | undefined;
  /** Flushes, closes and reports the file; the digest is over the uncompressed text. */
  close(): Promise<DatasetFile>;
  /** Abandons the file after an error. */
  destroy(error: Error): void;
}

/** Lines are gathered into chunks of about this size: one write per line would cost more than producing the line. */
const CHUNK_CHARS = 256 * 1024;

export function openNdjsonSink(path: string, gzip: boolean): NdjsonSink {
  const file = createWriteStream(path);
  const gzipper = gzip ? createGzip() : undefined;
  const head: Writable = gzipper ?? file;
  const done = gzipper ? pipeline(gzipper, file) : finished(file);
  // Failures surface through the next drain wait or through close(); this only keeps them from counting as unhandled.
  done.catch(() => undefined);
  const hash = createHash('sha256');
  let pending: string[] = [];
  let pendingChars = 0;
  let records = 0;

  const flush = (): Promise<void> | undefined => {
    if (pending.length === 0) return undefined;
    const chunk = `${pending.join('\n')}\n`;
    pending = [];
    pendingChars = 0;
    hash.update(chunk);
    return head.write(chunk) ? undefined : once(head, 'drain').then(() => undefined);
  };

  return {
    write(line) {
      pending.push(line);
      pendingChars += line.length;
      records++;
      return pendingChars >= CHUNK_CHARS ? flush() : undefined;
    },
    async close() {
      await flush();
      head.end();
      await done;
      return { path: basename(path), records, sha256: hash.digest('hex') };
    },
    destroy(error) {
      head.destroy(error);
      if (gzipper) file.destroy(error);
    },
  };
}
