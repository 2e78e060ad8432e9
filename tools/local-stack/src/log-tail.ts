import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `count` lines of `text`, without the empty line a trailing newline would add. */
export function tailLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return count <= 0 ? [] : lines.slice(-count);
}

/**
 * The last lines of a log file, reading at most its last `maxBytes` (a broker log can grow large; the failure is at the
 * end). The first line of a partial read is dropped because it may be cut. A missing file yields no lines.
 */
export function readLogTail(file: string, count = 30, maxBytes = 64 * 1024): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = tailLines(buffer.toString('utf8'), count + 1);
    return (length < size ? lines.slice(1) : lines).slice(-count);
  } finally {
    closeSync(fd);
  }
}

/** A log tail ready to append to an error message. */
export function describeLogTail(file: string, count = 30): string {
  const lines = readLogTail(file, count);
  if (lines.length === 0) return `(log ${file} is empty or missing)`;
  return `last ${lines.length} lines of ${file}:\n    ${lines.join('\n    ')}`;
}
