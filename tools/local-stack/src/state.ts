import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

const processRecord = {
  pid: z.number().int().positive(),
  /** The exact command line: how `down` recognises its own process behind a possibly reused pid. */
  argv: z.array(z.string()).min(1),
  logFile: z.string(),
  /** Start-to-ready time, known once the component answered. */
  readyMs: z.number().nonnegative().optional(),
};

const stateSchema = z.object({
  version: z.literal(1),
  startedAt: z.string(),
  /**
   * `user`: `stack:up` or ensureStack() started it, and it runs until `stack:down`. `lease`: a test run or `run` started
   * it, and the last lease holder to leave stops it.
   */
  startedBy: z.enum(['user', 'lease']),
  kafka: z.object({ ...processRecord, port: z.number().int(), controllerPort: z.number().int(), clusterId: z.string() }),
  registry: z.object({ ...processRecord, port: z.number().int(), managementPort: z.number().int() }),
});

export type StackState = z.infer<typeof stateSchema>;

/** Parses a state file's text; a file from another version or a half-written one is rejected with the reason. */
export function parseState(text: string): StackState {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`state file is not JSON: ${(err as Error).message}`);
  }
  const result = stateSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`state file is not a stack state: ${issues.join('; ')}`);
  }
  return result.data;
}

/** The recorded state, or undefined when there is none (never started, or stopped). */
export function readState(file: string): StackState | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return parseState(text);
}

/** Written to a temporary file and renamed, so a reader never sees half a state. */
export function writeState(file: string, state: StackState): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, file);
}

export const removeState = (file: string): void => rmSync(file, { force: true });
