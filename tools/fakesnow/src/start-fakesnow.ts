import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fatalError } from '@meterline/stream';
import { fakesnowLayout } from './layout';
import { ensureVenv } from './venv';

/** A running fake Snowflake, for tests only: point the snowflake-sdk at `accessUrl` with `account`, any user and password. */
export interface Fakesnow {
  readonly accessUrl: string;
  readonly account: string;
  readonly pid: number;
  /** The fake's recent output (Python tracebacks of unsupported SQL land here), for a failing test's message. */
  readonly output: () => string;
  /** Stops the process and waits for it to exit; safe to call twice. */
  readonly stop: () => Promise<void>;
}

export interface StartFakesnowOptions {
  /** Progress lines (the first run builds the venv); stderr by default. */
  readonly log?: (line: string) => void;
  /** How long the started process may take to listen (it imports DuckDB and pyarrow: seconds). */
  readonly startTimeoutMs?: number;
}

const LISTENING = /fakesnow listening on (http:\/\/\S+)/;
const KEPT_LINES = 60;

/** The last lines written to a stream, kept for error messages. */
function tail(stream: NodeJS.ReadableStream): () => string {
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter((line) => line !== ''));
    lines.splice(0, Math.max(0, lines.length - KEPT_LINES));
  });
  return () => lines.join('\n');
}

function waitForUrl(child: ChildProcessWithoutNullStreams, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(fatalError('FAKESNOW_START_FAILED', `fakesnow ${why}; its output:\n${output() || '(none)'}`));
    };
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = LISTENING.exec(seen);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    });
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `code ${code}`}) before listening`));
    child.once('error', (err) => fail(`could not start: ${err.message}`));
  });
}

async function stopChild(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Referenced again while stopping, so a caller awaiting stop() is not left behind by an event loop that empties.
  child.ref();
  const exited = once(child, 'exit');
  const within = (ms: number) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    return Promise.race([exited.then(() => true), timeout]).finally(() => clearTimeout(timer));
  };
  // Closing stdin is the adapter's stop signal (see node_adapter.py); signals are the fallback.
  child.stdin.end();
  if (await within(5_000)) return;
  child.kill('SIGTERM');
  if (await within(5_000)) return;
  child.kill('SIGKILL');
  await exited;
}

/**
 * Starts fakesnow (Snowflake SQL on an in-memory DuckDB, shared by every session of this process) behind the Node SDK
 * adapter, on a port of 127.0.0.1 the OS picks. Builds the venv first when needed. Each call starts its own process:
 * tests isolate themselves by database or schema name within it, or start another.
 */
export async function startFakesnow(options: StartFakesnowOptions = {}): Promise<Fakesnow> {
  const log = options.log ?? ((line: string) => process.stderr.write(`fakesnow: ${line}\n`));
  const layout = fakesnowLayout();
  await ensureVenv(layout, log);
  const child = spawn(layout.python, [layout.adapter], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = tail(child.stderr);
  let accessUrl: string;
  try {
    accessUrl = await waitForUrl(child, output, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  // A test that forgets stop() must not keep jest waiting; its worker's exit closes stdin, which stops the fake.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  return {
    accessUrl,
    account: 'fakesnow',
    pid: child.pid ?? -1,
    output,
    stop: () => stopChild(child),
  };
}
