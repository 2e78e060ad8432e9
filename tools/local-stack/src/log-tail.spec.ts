import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describeLogTail, readLogTail, tailLines } from './log-tail';

describe('tailLines', () => {
  it('returns the last lines without the empty one a final newline makes', () => {
    expect(tailLines('a\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(tailLines('a\r\nb', 5)).toEqual(['a', 'b']);
    expect(tailLines('', 3)).toEqual([]);
    expect(tailLines('a\nb\n', 0)).toEqual([]);
  });
});

describe('readLogTail', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-stack-log-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only the end of a large log and never returns a line cut in half', () => {
    const file = path.join(dir, 'kafka.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect(readLogTail(file, 3, 1024)).toEqual(lines.slice(-3));
    const all = readLogTail(file, 1000, 1024);
    expect(all.length).toBeLessThan(30);
    expect(lines).toContain(all[0]);
  });

  it('returns nothing for a missing log, and says so in the error text', () => {
    expect(readLogTail(path.join(dir, 'none.log'))).toEqual([]);
    expect(describeLogTail(path.join(dir, 'none.log'))).toMatch(/empty or missing/);
  });

  it('formats the tail for an error message', () => {
    const file = path.join(dir, 'registry.log');
    writeFileSync(file, 'starting\nERROR port in use\n');
    expect(describeLogTail(file, 5)).toBe(`last 2 lines of ${file}:\n    starting\n    ERROR port in use`);
  });
});
