import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BUILTIN_MAPPINGS, builtinMappingNames } from './builtin-mappings';
import { crossCheck, formatPath } from './mapping-checks';
import { MappingError } from './mapping-error';
import { mappingSchema, type Mapping } from './mapping-schema';

/**
 * A mapping by built-in name (`seed-metadata`) or by the path of a JSON file. Every problem of the file is reported
 * in one `MappingError` (fatal: a replay never starts with a mapping it would apply wrongly).
 */
export async function loadMapping(nameOrPath: string): Promise<Mapping> {
  const builtin = BUILTIN_MAPPINGS[nameOrPath];
  if (builtin !== undefined) return parseMapping(builtin, nameOrPath, `built-in ${nameOrPath}`);
  if (!nameOrPath.includes('/') && !nameOrPath.endsWith('.json')) {
    throw new MappingError(nameOrPath, [
      `no built-in mapping is called "${nameOrPath}" (there are: ${builtinMappingNames().join(', ')}); a file's path ends in .json or contains /`,
    ]);
  }
  let text: string;
  try {
    text = await readFile(nameOrPath, 'utf8');
  } catch (err) {
    throw new MappingError(nameOrPath, [`cannot be read: ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new MappingError(nameOrPath, [`is not valid JSON: ${(err as Error).message}`]);
  }
  return parseMapping(json, basename(nameOrPath).replace(/\.json$/, ''), nameOrPath);
}

/** Checks a mapping's JSON; `name` is what logs call it, `origin` where it came from (for the error). */
export function parseMapping(json: unknown, name: string, origin: string = name): Mapping {
  const result = mappingSchema.safeParse(json);
  const problems = result.success ? [] : result.error.issues.map((i) => `${formatPath(i.path, json)}: ${i.message}`);
  problems.push(...crossCheck(json));
  if (!result.success || problems.length > 0) throw new MappingError(origin, problems);
  return { ...result.data, name };
}
