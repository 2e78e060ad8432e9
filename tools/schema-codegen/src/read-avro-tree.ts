import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from './json';
import type { SchemaFamily, SchemaVersion } from './schema-family';

const FAMILY_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const VERSION_FILE = /^v([1-9]\d*)\.avsc$/;

export class AvroTreeError extends Error {
  override readonly name = 'AvroTreeError';
  constructor(readonly problems: readonly string[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`invalid .avsc tree (${count}):\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads `<dir>/<family>/v<N>.avsc`. Every published version stays in the tree, numbered from v1 without gaps, because
 * the evolution check compares each version with the one before it. Other files at the top (a README) are ignored;
 * inside a family folder anything but a version file is a mistake. Reports every problem at once.
 */
export function readAvroTree(dir: string): SchemaFamily[] {
  const problems: string[] = [];
  const families: SchemaFamily[] = [];
  const entries = readdirSync(dir).sort();
  for (const name of entries) {
    if (!statSync(join(dir, name)).isDirectory()) continue;
    if (!FAMILY_NAME.test(name)) {
      problems.push(`${name}/: schema folders are kebab-case (node-metric-raw)`);
      continue;
    }
    const versions = readVersions(dir, name, problems);
    if (versions.length > 0) families.push({ name, versions });
  }
  if (problems.length > 0) throw new AvroTreeError(problems);
  return families;
}

function readVersions(dir: string, family: string, problems: string[]): SchemaVersion[] {
  const versions: SchemaVersion[] = [];
  const numbers: number[] = [];
  for (const fileName of readdirSync(join(dir, family)).sort()) {
    const file = `${family}/${fileName}`;
    const match = VERSION_FILE.exec(fileName);
    if (!match?.[1]) {
      problems.push(`${file}: expected only files named v<N>.avsc (v1.avsc, v2.avsc, ...)`);
      continue;
    }
    const version = Number(match[1]);
    numbers.push(version);
    const schema = parseJson(readFileSync(join(dir, family, fileName), 'utf8'));
    if (schema instanceof Error) problems.push(`${file}: not JSON (${schema.message})`);
    else versions.push({ version, file, schema });
  }
  if (numbers.length === 0) problems.push(`${family}/: has no v<N>.avsc file`);
  const missing = Array.from({ length: Math.max(0, ...numbers) }, (_, i) => i + 1).filter((n) => !numbers.includes(n));
  if (missing.length > 0) {
    const list = missing.map((n) => `v${n}.avsc`).join(', ');
    problems.push(`${family}/: versions run from v1 without gaps (published ones are never deleted); missing ${list}`);
  }
  return versions.sort((a, b) => a.version - b.version);
}

function parseJson(text: string): Json | Error {
  try {
    // JSON.parse can only produce JSON values.
    return JSON.parse(text) as Json;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
