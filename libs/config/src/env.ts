import { z } from 'zod';
import { MeterlineError } from '@meterline/stream';

/** One environment variable: its name, how to parse it, and a line of help for the error message and the README. */
export interface EnvVar<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly schema: S;
  readonly help: string;
}

export type EnvSpec = Readonly<Record<string, EnvVar>>;

export type ConfigOf<T extends EnvSpec> = { readonly [K in keyof T]: z.output<T[K]['schema']> };

export const envVar = <S extends z.ZodType>(name: string, schema: S, help: string): EnvVar<S> => ({ name, schema, help });

/** A fatal error: restarting with the same environment cannot help. */
export class ConfigError extends MeterlineError {
  constructor(readonly problems: readonly string[]) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super('fatal', 'CONFIG_INVALID', `invalid configuration (${count}):\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Parses every variable of the spec and reports all problems at once, so an operator fixes a deployment in one round
 * instead of one variable per restart. Unset and empty variables are treated alike (compose files often write `FOO=`).
 */
export function parseEnv<T extends EnvSpec>(spec: T, env: Readonly<Record<string, string | undefined>>): ConfigOf<T> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(spec)) {
    const raw = env[v.name];
    const result = v.schema.safeParse(raw === '' ? undefined : raw);
    if (result.success) {
      out[key] = result.data;
    } else {
      const reason = result.error.issues.map((i) => i.message).join('; ');
      const shown = raw === undefined || raw === '' ? 'unset' : JSON.stringify(raw);
      problems.push(`${v.name} (${shown}): ${reason} — ${v.help}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(out) as ConfigOf<T>;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
