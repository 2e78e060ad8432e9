import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/**
 * Starts a process that outlives this one: its own session (so a Ctrl-C in the terminal that ran `stack:up` or
 * `npm test` does not reach it), stdout and stderr appended to `logFile`, and no handle keeping our event loop alive.
 */
export async function spawnDetached(argv: readonly string[], options: { cwd: string; logFile: string }): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('spawnDetached: empty command');
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, { cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd] });
    // 'spawn' or 'error' (ENOENT, EACCES) comes first; once() rejects on 'error'.
    await once(child, 'spawn');
    child.unref();
    if (child.pid === undefined) throw new Error(`${command} started without a pid`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * The command line of a live process, arguments joined by single spaces, or undefined when there is no such process.
 * A zombie (exited, not yet reaped by its parent) has an empty command line and counts as gone.
 */
export function readCommandLine(pid: number): string | undefined {
  if (!hasProcfs) return psCommandLine(pid);
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined;
  }
  const args = raw.split('\0');
  if (args.at(-1) === '') args.pop();
  return args.length === 0 ? undefined : args.join(' ');
}

const hasProcfs = existsSync('/proc/self/cmdline');

/** Without /proc (macOS), ps prints the same space-joined arguments. */
function psCommandLine(pid: number): string | undefined {
  const result = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  const line = result.status === 0 ? result.stdout.trim() : '';
  return line === '' ? undefined : line;
}

/**
 * Whether `pid` still is the process we started with `argv`. Pids are reused, so a pid alone could point at anything by
 * now; the exact command line (absolute paths into the stack directory included) makes a mix-up practically impossible.
 */
export const isSameProcess = (pid: number, argv: readonly string[]): boolean => readCommandLine(pid) === argv.join(' ');

/** Whether any process has this pid (for lock and lease holders, where the pid is all we know). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type StopOutcome = 'stopped' | 'killed' | 'not-running';

/**
 * SIGTERM, then SIGKILL when the process is still there after `graceMs`. Kafka uses the grace period for a controlled
 * shutdown (flushing logs, closing the metadata log), which makes the next start faster. Only signals the process if
 * it still is the one we started.
 */
export async function stopProcess(pid: number, argv: readonly string[], graceMs = 15_000): Promise<StopOutcome> {
  if (!isSameProcess(pid, argv)) return 'not-running';
  signal(pid, 'SIGTERM');
  if (await exited(pid, argv, graceMs)) return 'stopped';
  signal(pid, 'SIGKILL');
  if (await exited(pid, argv, 5_000)) return 'killed';
  throw new Error(`process ${pid} (${argv[0] ?? '?'}) survived SIGKILL`);
}

async function exited(pid: number, argv: readonly string[], withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!isSameProcess(pid, argv)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isSameProcess(pid, argv);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Resident memory of a process in bytes (VmRSS from /proc), or undefined when it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
  } catch {
    return undefined;
  }
}
