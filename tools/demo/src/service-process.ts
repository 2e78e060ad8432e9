import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { ServiceName } from '@meterline/config';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A built service (dist/apps/<name>/main.js, as the Docker image runs it) running as a child process. */
export interface ServiceProcess {
  readonly name: string;
  /** Its JSON log lines, parsed, as they arrive. */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the HTTP base URL once the service logged it (tests bind port 0 and learn it here). */
  readonly url: Promise<string>;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts `node dist/apps/<name>/main.js` with exactly `env` plus PATH (so nothing leaks in from the caller's
 * environment), bound to loopback unless `env` says otherwise. `onLine` sees every stdout line.
 */
export function spawnService(
  name: ServiceName,
  env: Readonly<Record<string, string>>,
  onLine?: (line: string) => void,
  /**
   * In a process group of its own: a terminal's Ctrl-C then reaches only the parent, which stops the services with
   * one SIGTERM each — otherwise each got the terminal's SIGINT and the parent's SIGTERM, and took the second for
   * "stop now" (exit 1, the in-flight batch abandoned).
   */
  options: { readonly ownProcessGroup?: boolean } = {},
): ServiceProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(REPO_ROOT, 'dist', 'apps', name, 'main.js')], {
    env: { PATH: process.env['PATH'] ?? '', HTTP_HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine?.(line);
      const entry = parse(line);
      logs.push(entry);
      if (entry['msg'] === 'http server listening' && typeof entry['url'] === 'string') resolve(entry['url']);
    });
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before serving HTTP:\n${stderr}`)));
  });
  return { name, logs, url, exited, signal: (s) => void child.kill(s) };
}

function parse(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { msg: line, unparsed: true };
  }
}
