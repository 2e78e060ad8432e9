import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { fatalError } from '@meterline/stream';
import { isPidAlive } from './processes';

export interface LockOptions {
  /** How long to wait for another holder; the first `up` downloads ~215 MB, so waiting minutes is normal. */
  readonly timeoutMs?: number;
  /** Called once when the lock is busy, so a waiting process can say what it waits for. */
  readonly onWait?: (holderPid: number | undefined) => void;
}

/**
 * Runs `fn` while holding an exclusive lock file. Several processes may call ensureStack() at once (nx runs jest for
 * several projects in parallel): O_EXCL creation makes exactly one of them the one that checks and starts the stack.
 * A lock whose holder died (Ctrl-C during a download, a crashed test run) is taken over rather than waited for.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 10 * 60_000 } = options;
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  while (!tryCreate(file)) {
    const seen = identityOf(file);
    const holder = readHolder(file);
    if (seen !== undefined && isStale(file, holder)) {
      removeIfStill(file, seen);
      continue;
    }
    if (Date.now() >= deadline) {
      throw fatalError(
        'STACK_LOCK_TIMEOUT',
        `waited ${Math.round(timeoutMs / 1000)} s for ${file}, held by pid ${holder ?? '?'}; ` +
          'if no such process exists, delete the file',
      );
    }
    if (!warned) options.onWait?.(holder);
    warned = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Which lock file this is: inode numbers alone are reused at once after a delete, so mtime and content join them. */
function identityOf(file: string): string | undefined {
  try {
    const { ino, mtimeMs } = statSync(file);
    return `${ino}:${mtimeMs}:${readFileSync(file, 'utf8')}`;
  } catch {
    return undefined;
  }
}

/**
 * Two waiters can find the same stale lock; after the first removed it and created its own, a plain delete by the
 * second would remove a live lock. So the file is moved aside first and deleted only if it is the very file found
 * stale; otherwise it is put back.
 */
function removeIfStill(file: string, stale: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return; // someone else removed it already
  }
  try {
    if (identityOf(aside) !== stale) linkSync(aside, file);
  } catch {
    // A third process created a lock in the microseconds since: the displaced holder and it now overlap. Accepted: it
    // takes a crash plus three simultaneous starters, and the worst outcome is a start that fails on busy ports.
  } finally {
    rmSync(aside, { force: true });
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isStale(file: string, holder: number | undefined): boolean {
  if (holder !== undefined) return !isPidAlive(holder);
  // No pid yet: either the holder is between creating and writing the file (microseconds), or it died right there.
  try {
    return Date.now() - statSync(file).mtimeMs > 5_000;
  } catch {
    return false;
  }
}
