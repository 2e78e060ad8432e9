import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedFile } from './generate-modules';

/**
 * Files of `dir` that differ from what the generator produces now: missing, different, or left over from a schema
 * that no longer exists. The generated folder holds nothing else, so any other `.ts` file in it counts as left over.
 */
export function staleGeneratedFiles(dir: string, files: readonly GeneratedFile[]): string[] {
  const expected = new Map(files.map((f) => [f.path, f.content]));
  const present = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.ts')) : [];
  const leftOver = present.filter((name) => !expected.has(name));
  const outdated = files
    .filter((f) => !present.includes(f.path) || readFileSync(join(dir, f.path), 'utf8') !== f.content)
    .map((f) => f.path);
  return [...outdated, ...leftOver].sort();
}

/** Brings `dir` up to date, touching only stale files, and returns their names. */
export function writeGeneratedFiles(dir: string, files: readonly GeneratedFile[]): string[] {
  const stale = staleGeneratedFiles(dir, files);
  mkdirSync(dir, { recursive: true });
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  for (const name of stale) {
    const content = byPath.get(name);
    if (content === undefined) rmSync(join(dir, name));
    else writeFileSync(join(dir, name), content);
  }
  return stale;
}
