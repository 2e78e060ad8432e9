import { fatalError } from '@meterline/stream';

export const RUN_USAGE = `  run [--env NAME=value]... -- <command...>
            run a command with KAFKA_BROKERS and SCHEMA_REGISTRY_URL set, starting the stack first if needed
            and stopping it afterwards only if this run started it; exits with the command's exit code`;

/** `[--env NAME=value]... -- command...`: the `--` keeps the command's own flags apart from ours. */
export function parseRunArgs(args: readonly string[]): { env: Record<string, string>; command: string[] } {
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < args.length && args[i] !== '--'; i++) {
    const pair = args[i] === '--env' ? args[++i] : undefined;
    const m = pair === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!m || m[1] === undefined || m[2] === undefined) {
      throw fatalError('STACK_USAGE', `run: expected --env NAME=value or --, got ${args[i] ?? '(nothing)'}\n${RUN_USAGE}`);
    }
    env[m[1]] = m[2];
  }
  const command = args.slice(i + 1);
  if (command.length === 0) throw fatalError('STACK_USAGE', `run: no command after --\n${RUN_USAGE}`);
  return { env, command };
}
