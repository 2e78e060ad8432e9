import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { fatalError } from '@meterline/stream';

const readPid = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
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

/**
 * Removes a lock whose holder died (a Ctrl-C during pip install). Two waiters may find the same dead lock; the file is
 * moved aside first and deleted only if it still names the dead holder, otherwise (the other waiter already replaced
 * it with its own) it is put back.
 */
function removeStale(file: string, deadPid: number): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  if (readPid(aside) === deadPid) rmSync(aside, { force: true });
  else renameSync(aside, file);
}

/**
 * Runs `fn` holding an O_EXCL lock file: nx runs the jest processes of several projects at once, and each may find the
 * venv missing; exactly one builds it while the others wait, then find it built.
 */
export async function withInstallLock<T>(file: string, fn: () => Promise<T>, onWait: () => void, timeoutMs = 10 * 60_000): Promise<T> {
  mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let told = false;
  while (!tryCreate(file)) {
    const holder = readPid(file);
    if (holder !== undefined && !isAlive(holder)) {
      removeStale(file, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw fatalError('FAKESNOW_LOCK_TIMEOUT', `waited ${timeoutMs / 1000} s for ${file} (held by pid ${holder ?? '?'}); delete it if no such process runs`);
    }
    if (!told) onWait();
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
  }
}
