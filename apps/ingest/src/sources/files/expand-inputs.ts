import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fatalError } from '@meterline/stream';

const WILDCARD = /[*?]/;

/**
 * The files named by replay inputs, in order: a file is itself; a directory is its files (not its subdirectories,
 * not hidden files), sorted; a pattern with `*` or `?` in any path segment is the files it matches, sorted (a
 * matching directory counts as its files). There is no `**`: a tree is named one level at a time. Sorting is by code
 * point, so the order is the same on every machine. Every input that names nothing is reported, all at once.
 */
export async function expandInputs(inputs: string | readonly string[]): Promise<string[]> {
  const list = typeof inputs === 'string' ? [inputs] : inputs;
  const problems: string[] = [];
  const files: string[] = [];
  for (const input of list) {
    const found = WILDCARD.test(input) ? await expandPattern(input) : await expandPath(input);
    if (typeof found === 'string') problems.push(`${input}: ${found}`);
    else files.push(...found);
  }
  if (problems.length > 0) {
    throw fatalError('REPLAY_NO_INPUT', `nothing to read:\n  ${problems.join('\n  ')}`, { details: { inputs: problems.length } });
  }
  return [...new Set(files)];
}

/** The files of a path, or why there are none. */
async function expandPath(path: string): Promise<string[] | string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return 'no such file or directory';
  if (info.isFile()) return [path];
  if (!info.isDirectory()) return 'not a file or directory';
  const files = await filesIn(path);
  return files.length > 0 ? files : 'the directory holds no files';
}

async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.filter(visible).sort(byName)) {
    const path = join(dir, entry.name);
    // A symbolic link counts when it leads to a file.
    if (entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile())) files.push(path);
  }
  return files;
}

async function expandPattern(pattern: string): Promise<string[] | string> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let paths = [absolute ? '/' : '.'];
  for (const segment of segments) {
    const next: string[] = [];
    for (const base of paths) {
      if (!WILDCARD.test(segment)) {
        next.push(join(base, segment));
        continue;
      }
      const matcher = segmentMatcher(segment);
      const entries = await readdir(base, { withFileTypes: true }).catch(() => [] as Dirent[]);
      for (const entry of entries.sort(byName)) if (matcher.test(entry.name)) next.push(join(base, entry.name));
    }
    paths = next;
  }
  const files: string[] = [];
  for (const path of paths) {
    const found = await expandPath(path);
    if (typeof found !== 'string') files.push(...found);
  }
  return files.length > 0 ? files : 'no file matches';
}

/** `*` is any run of characters and `?` one character, within a segment; like a shell, neither matches a leading dot. */
function segmentMatcher(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(segment.startsWith('.') ? `^${body}$` : `^(?!\\.)${body}$`);
}

const visible = (entry: Dirent) => !entry.name.startsWith('.');
const byName = (a: Dirent, b: Dirent) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
