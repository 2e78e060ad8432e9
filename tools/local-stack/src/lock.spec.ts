import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { withLock } from './lock';

describe('withLock', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-stack-lock-'));
    file = path.join(dir, 'stack.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the lock file, with our pid in it, only while the function runs', async () => {
    const seen = await withLock(file, async () => readFileSync(file, 'utf8'));
    expect(seen).toBe(`${process.pid}\n`);
    expect(existsSync(file)).toBe(false);
  });

  it('releases the lock when the function throws', async () => {
    await expect(withLock(file, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(file)).toBe(false);
  });

  it('runs concurrent holders one after the other, never overlapping', async () => {
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(file, async () => {
        events.push(`${name} in`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${name} out`);
      });
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    expect(events).toHaveLength(6);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.replace(' in', '')).toBe(events[i + 1]?.replace(' out', ''));
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(file, `${dead.stdout}\n`);
    await expect(withLock(file, async () => 'acquired', { timeoutMs: 2_000 })).resolves.toBe('acquired');
  });

  it('waits for a live holder and gives up with its pid after the timeout', async () => {
    writeFileSync(file, `${process.pid}\n`); // we are alive, so the lock is not stale
    const onWait = jest.fn();
    await expect(withLock(file, async () => 'never', { timeoutMs: 300, onWait })).rejects.toThrow(
      new RegExp(`held by pid ${process.pid}`),
    );
    expect(onWait).toHaveBeenCalledWith(process.pid);
    expect(onWait).toHaveBeenCalledTimes(1);
  });
});
