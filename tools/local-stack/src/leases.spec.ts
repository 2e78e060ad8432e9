import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { addLease, liveLeases, removeLease } from './leases';

describe('leases', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'local-stack-leases-')), 'leases');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('counts each lease of a live process, and forgets a removed one', () => {
    const a = addLease(dir);
    const b = addLease(dir);
    expect(a).not.toBe(b);
    expect(liveLeases(dir).sort()).toEqual([a, b].sort());
    removeLease(dir, a);
    expect(liveLeases(dir)).toEqual([b]);
  });

  it('drops the lease of a process that died without releasing it', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const mine = addLease(dir);
    writeFileSync(path.join(dir, `${dead.stdout}-deadbeef`), '');
    expect(liveLeases(dir)).toEqual([mine]);
    expect(existsSync(path.join(dir, `${dead.stdout}-deadbeef`))).toBe(false);
  });

  it('has no leases before the first one', () => {
    expect(liveLeases(dir)).toEqual([]);
  });
});
