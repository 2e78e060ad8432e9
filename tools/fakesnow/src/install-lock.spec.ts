import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withInstallLock } from './install-lock';

describe('withInstallLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fakesnow-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs holders one after the other, and the waiter is told once', async () => {
    const file = join(dir, 'install.lock');
    const events: string[] = [];
    let waits = 0;
    const holder = (name: string) => async () => {
      events.push(`${name} in`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push(`${name} out`);
    };
    await Promise.all([withInstallLock(file, holder('a'), () => waits++), withInstallLock(file, holder('b'), () => waits++)]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect([waits, existsSync(file)]).toEqual([1, false]);
  });

  it('takes over a lock whose holder died', async () => {
    const file = join(dir, 'install.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(file, `${dead.stdout}\n`);
    await expect(withInstallLock(file, async () => 'built', () => undefined, 5_000)).resolves.toBe('built');
  });

  it('gives up after its timeout while a live process holds the lock', async () => {
    const file = join(dir, 'install.lock');
    writeFileSync(file, `${process.pid}\n`);
    await expect(withInstallLock(file, async () => 'never', () => undefined, 300)).rejects.toMatchObject({ kind: 'fatal', code: 'FAKESNOW_LOCK_TIMEOUT' });
  });
});
