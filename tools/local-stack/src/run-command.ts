import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { acquireStack } from './stack';

export interface RunOptions {
  readonly command: readonly string[];
  /** Extra variables for the command (`--env NAME=value`), on top of this process's environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a command against the stack: starts it if needed, passes KAFKA_BROKERS and SCHEMA_REGISTRY_URL, and gives the
 * lease back afterwards (which stops the stack only if this run started it and nobody else uses it). Resolves with the
 * command's exit code, 128 + signal number when a signal ended it, as a shell reports it.
 */
export async function runWithStack(options: RunOptions): Promise<number> {
  const [command, ...args] = options.command;
  if (command === undefined) throw new Error('run: no command given (usage: run [--env NAME=value]... -- <command...>)');
  const lease = await acquireStack({ log: options.log });
  try {
    const child = spawn(command, args, {
      stdio: 'inherit',
      // The environment is passed through untouched; nothing is read from it here.
      env: {
        ...process.env,
        ...options.env,
        KAFKA_BROKERS: lease.endpoints.kafkaBrokers.join(','),
        SCHEMA_REGISTRY_URL: lease.endpoints.schemaRegistryUrl,
      },
    });
    // A Ctrl-C reaches the child directly (same process group); forwarding covers signals sent to us alone (kill, a
    // cancelled CI job). Either way this process outlives the child, to give the lease back.
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    for (const s of FORWARDED) process.on(s, forward);
    try {
      return await new Promise<number>((resolve, reject) => {
        child.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code !== 'ENOENT') return reject(err);
          // As a shell would: 127, "command not found".
          options.log(`run: ${command} not found on PATH (inside npm scripts node_modules/.bin is on it; otherwise try npx)`);
          resolve(127);
        });
        child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)));
      });
    } finally {
      for (const s of FORWARDED) process.off(s, forward);
    }
  } finally {
    const { stopped } = await lease.release();
    if (stopped) options.log('stopped the stack this run had started');
  }
}
