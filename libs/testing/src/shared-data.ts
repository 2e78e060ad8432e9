import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root: this file sits in libs/testing/src. */
const workspaceRoot = resolve(__dirname, '..', '..', '..');

/**
 * A path in ../shared/data: real datasets and captures next to the repository (never copied into it; see
 * ../shared/data/README.md). Tests of real data need it and say so when it is missing, rather than passing vacuously.
 */
export function sharedData(...parts: string[]): string {
  const path = join(workspaceRoot, '..', 'shared', 'data', ...parts);
  if (!existsSync(path)) throw new Error(`this test reads ${path}; it needs ../shared/data next to the repository`);
  return path;
}
