import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { isPidAlive } from './processes';

/**
 * A lease says "this process is using the stack". Test runs and `run` take one; a stack that a lease holder started is
 * stopped by the last holder to leave, not by the one that happened to start it (with nx running several jest
 * processes, the starter is often not the last to finish). Lease files are named `<pid>-<random>`, so leases of
 * crashed processes are recognised and ignored.
 */
export function addLease(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const id = `${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(path.join(dir, id), `${new Date().toISOString()}\n`);
  return id;
}

export function removeLease(dir: string, id: string): void {
  rmSync(path.join(dir, id), { force: true });
}

/** Leases whose holder is still alive; the others are deleted on the way. */
export function liveLeases(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const pid = Number.parseInt(name.split('-')[0] ?? '', 10);
    if (Number.isInteger(pid) && pid > 0 && isPidAlive(pid)) return true;
    rmSync(path.join(dir, name), { force: true });
    return false;
  });
}

export const clearLeases = (dir: string): void => rmSync(dir, { recursive: true, force: true });
