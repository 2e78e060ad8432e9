import { fatalError } from '@meterline/stream';
import { locateJava, type JavaRuntime } from './java';
import { addLease, liveLeases, removeLease } from './leases';
import { stackLayout, type StackLayout } from './layout';
import { withLock } from './lock';
import { loadStackSettings, type StackOverrides, type StackPorts, type StackSettings } from './settings';
import { startStack, type StartTimings } from './start';
import { readState, type StackState } from './state';
import { inspectStack, type StackEndpoints, type StackStatus } from './status';
import { stopStack, type StopResult } from './stop';

export interface StackOptions extends StackOverrides {
  /** Progress lines (downloads, start-up, waiting for another process); silent by default. */
  readonly log?: (line: string) => void;
  /** Per component, from spawn to ready (default 120 s: a cold JVM on a busy CI machine is slow). */
  readonly readyTimeoutMs?: number;
}

export interface StackUpResult {
  /** True when a healthy stack was already running and nothing was done. */
  readonly alreadyRunning: boolean;
  readonly status: StackStatus;
  /** Set when this call started the stack. */
  readonly timings: StartTimings | undefined;
}

export interface StackLease {
  readonly endpoints: StackEndpoints;
  /** Whether this acquisition had to start the stack. */
  readonly startedStack: boolean;
  /** Gives the lease back; stops the stack if a lease holder started it and no other holder is left. */
  release(): Promise<{ stopped: boolean }>;
}

/** Starts the stack unless a healthy one is running (then it is a no-op). It runs until stackDown(). */
export async function stackUp(options: StackOptions = {}): Promise<StackUpResult> {
  const { settings, layout, log } = resolve(options);
  return locked(layout, log, () => ensureRunning(settings, layout, options, 'user'));
}

/** stackUp() for programs that only need the endpoints (benchmarks, scripts). */
export const ensureStack = async (options: StackOptions = {}): Promise<StackEndpoints> =>
  (await stackUp(options)).status.endpoints;

/**
 * For test runs and `run`: uses the running stack or starts one, and registers this process as a user of it. A stack
 * started this way is stopped when the last lease is released, so parallel jest processes never pull the stack from
 * under each other, and a stack someone started with `stack:up` is never stopped by a test run.
 */
export async function acquireStack(options: StackOptions = {}): Promise<StackLease> {
  const { settings, layout, log } = resolve(options);
  const { up, leaseId } = await locked(layout, log, async () => {
    const result = await ensureRunning(settings, layout, options, 'lease');
    return { up: result, leaseId: addLease(layout.leasesDir) };
  });
  let released: Promise<{ stopped: boolean }> | undefined;
  return {
    endpoints: up.status.endpoints,
    startedStack: !up.alreadyRunning,
    release: () => (released ??= releaseLease(layout, leaseId, log)),
  };
}

/** Stops the recorded processes, whoever started them. Undefined when no stack was recorded. */
export async function stackDown(options: StackOptions = {}): Promise<StopResult | undefined> {
  const { layout, log } = resolve(options);
  return locked(layout, log, async () => {
    const state = readStateOrWarn(layout, log);
    return state ? stopStack(state, layout) : undefined;
  });
}

/** What runs, with pids, ports, URLs and memory. Reads only: safe to call while another process starts the stack. */
export async function stackStatus(options: StackOptions = {}): Promise<StackStatus> {
  const { settings, layout, log } = resolve(options);
  return inspectStack(settings, layout, readStateOrWarn(layout, log));
}

/**
 * A Java runtime of at least `minMajor` (JAVA_HOME, then PATH, then /usr/lib/jvm), e.g. to run Kafka's own
 * ProducerPerformance against the stack with `-cp '<kafkaLibsDir>/*'`.
 */
export function findJava(minMajor = 17, purpose = `Java ${minMajor}+`): JavaRuntime {
  const settings = loadStackSettings();
  return locateJava(minMajor, purpose, { javaHome: settings.javaHome, searchPath: settings.searchPath });
}

async function ensureRunning(
  settings: StackSettings,
  layout: StackLayout,
  options: StackOptions,
  startedBy: StackState['startedBy'],
): Promise<StackUpResult> {
  const log = options.log ?? (() => undefined);
  const state = readStateOrWarn(layout, log);
  if (state) {
    const current = await inspectStack(settings, layout, state);
    if (current.running) {
      assertSamePorts(current, settings);
      return { alreadyRunning: true, status: current, timings: undefined };
    }
    log(`the recorded stack is not healthy (Kafka ${current.kafka.state}, registry ${current.registry.state}); replacing it`);
    await stopStack(state, layout);
  }
  const timings = await startStack(settings, layout, {
    startedBy,
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    log,
  });
  return { alreadyRunning: false, status: await inspectStack(settings, layout), timings };
}

async function releaseLease(layout: StackLayout, leaseId: string, log: (line: string) => void): Promise<{ stopped: boolean }> {
  return locked(layout, log, async () => {
    removeLease(layout.leasesDir, leaseId);
    const state = readStateOrWarn(layout, log);
    if (!state || state.startedBy !== 'lease' || liveLeases(layout.leasesDir).length > 0) return { stopped: false };
    await stopStack(state, layout);
    return { stopped: true };
  });
}

/** Asking for a stack on ports other than the running one's is a mistake to report, not to paper over. */
function assertSamePorts(current: StackStatus, wanted: StackPorts): void {
  const keys: (keyof StackPorts)[] = ['kafkaPort', 'kafkaControllerPort', 'registryPort', 'registryManagementPort'];
  const differing = keys.filter((k) => current.ports[k] !== wanted[k]);
  if (differing.length === 0) return;
  const what = differing.map((k) => `${k} ${current.ports[k]}, not ${wanted[k]}`).join('; ');
  throw fatalError(
    'STACK_PORTS_DIFFER',
    `a stack already runs in ${current.dir} on other ports (${what}); ` +
      'stop it first (npm run stack:down) or use another METERLINE_STACK_DIR',
  );
}

function readStateOrWarn(layout: StackLayout, log: (line: string) => void): StackState | undefined {
  try {
    return readState(layout.stateFile);
  } catch (err) {
    log(`ignoring ${layout.stateFile}: ${(err as Error).message}`);
    return undefined;
  }
}

function resolve(options: StackOptions) {
  const { log = () => undefined, readyTimeoutMs: _timeout, ...overrides } = options;
  const settings = loadStackSettings(overrides);
  return { settings, layout: stackLayout(settings.dir), log };
}

const locked = <T>(layout: StackLayout, log: (line: string) => void, fn: () => Promise<T>): Promise<T> =>
  withLock(layout.lockFile, fn, {
    onWait: (pid) => log(`waiting for another local-stack process (pid ${pid ?? '?'}) to finish with the stack`),
  });
