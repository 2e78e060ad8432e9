import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { fatalError } from '@meterline/stream';
import { locateJava, type JavaRuntime } from './java';
import { installKafka } from './kafka-install';
import { kafkaArgv, prepareKafka } from './kafka-server';
import { logFileOf, type StackLayout } from './layout';
import { clearLeases } from './leases';
import { describeLogTail } from './log-tail';
import { assertPortsFree } from './ports';
import { isSameProcess, spawnDetached, stopProcess } from './processes';
import { APICURIO_VERSION, installRegistry } from './registry-install';
import { kafkaReadiness, type Readiness } from './readiness';
import { probeRegistry } from './registry-probe';
import { registryArgv } from './registry-server';
import { registryHealthUrl, schemaRegistryUrl, type StackSettings } from './settings';
import { removeState, writeState, type StackState } from './state';
import { waitFor } from './wait-for';

export interface StartTimings {
  /** First-run downloads; undefined when the cache already had them. */
  readonly kafkaDownloadMs: number | undefined;
  readonly registryDownloadMs: number | undefined;
  /** From spawning the JVM to the first successful probe. */
  readonly kafkaReadyMs: number;
  readonly registryReadyMs: number;
}

export interface StartOptions {
  readonly startedBy: StackState['startedBy'];
  readonly readyTimeoutMs: number;
  readonly log: (line: string) => void;
}

/** The JDKs, found before anything is downloaded, so a machine without Java 21 fails in a second, not after 215 MB. */
export function locateJavas(settings: StackSettings): { kafka: JavaRuntime; registry: JavaRuntime } {
  const search = { javaHome: settings.javaHome, searchPath: settings.searchPath };
  return {
    kafka: locateJava(17, 'Kafka 3.9 (as started by tools/local-stack)', search),
    registry: locateJava(21, `Apicurio Registry ${APICURIO_VERSION} (class file version 65)`, search),
  };
}

/**
 * Downloads what is missing, starts Kafka and the registry side by side as detached processes, and waits until both
 * answer. The state file is written as soon as the processes exist, so `down` can clean up even if this process is
 * interrupted while waiting. If either component fails, both are stopped: a half stack is never left behind.
 */
export async function startStack(
  settings: StackSettings,
  layout: StackLayout,
  options: StartOptions,
): Promise<StartTimings> {
  const { log } = options;
  mkdirSync(layout.logs, { recursive: true });
  await assertPortsFree([
    { name: 'Kafka', port: settings.kafkaPort, envVar: 'METERLINE_KAFKA_PORT' },
    { name: 'Kafka controller', port: settings.kafkaControllerPort, envVar: 'METERLINE_KAFKA_CONTROLLER_PORT' },
    { name: 'registry', port: settings.registryPort, envVar: 'METERLINE_REGISTRY_PORT' },
    { name: 'registry management', port: settings.registryManagementPort, envVar: 'METERLINE_REGISTRY_MANAGEMENT_PORT' },
  ]);
  const java = locateJavas(settings);

  const kafkaDownloadMs = await installKafka(layout, settings.searchPath, log);
  if (kafkaDownloadMs !== undefined) log(`Kafka jars downloaded in ${seconds(kafkaDownloadMs)}`);
  const registryDownloadMs = await installRegistry(layout, settings.searchPath, log);
  if (registryDownloadMs !== undefined) log(`Apicurio Registry downloaded and unpacked in ${seconds(registryDownloadMs)}`);

  const clusterId = await prepareKafka(java.kafka, layout, settings);
  const kafkaLog = rotateLog(logFileOf(layout, 'kafka'));
  const registryLog = rotateLog(logFileOf(layout, 'registry'));
  const kafka = { argv: kafkaArgv(java.kafka, layout), logFile: kafkaLog };
  const registry = { argv: registryArgv(java.registry, layout, settings), logFile: registryLog };

  log(
    `starting Kafka on 127.0.0.1:${settings.kafkaPort} (Java ${java.kafka.major}) and ` +
      `Apicurio Registry on 127.0.0.1:${settings.registryPort} (Java ${java.registry.major})`,
  );
  const spawnedAt = Date.now();
  const kafkaPid = await spawnDetached(kafka.argv, { cwd: layout.dir, logFile: kafkaLog });
  const registryPid = await spawnDetached(registry.argv, { cwd: layout.dir, logFile: registryLog }).catch(
    async (err: unknown) => {
      await stopProcess(kafkaPid, kafka.argv);
      throw err;
    },
  );
  clearLeases(layout.leasesDir);
  const state: StackState = {
    version: 1,
    startedAt: new Date(spawnedAt).toISOString(),
    startedBy: options.startedBy,
    kafka: { pid: kafkaPid, ...kafka, port: settings.kafkaPort, controllerPort: settings.kafkaControllerPort, clusterId },
    registry: { pid: registryPid, ...registry, port: settings.registryPort, managementPort: settings.registryManagementPort },
  };
  writeState(layout.stateFile, state);

  const timeoutMs = options.readyTimeoutMs;
  const results = await Promise.allSettled([
    awaitReady('Kafka', kafkaPid, kafka, timeoutMs, () => kafkaReadiness(settings.kafkaPort, 1_000)),
    awaitReady('Apicurio Registry', registryPid, registry, timeoutMs, () =>
      probeRegistry(registryHealthUrl(settings), schemaRegistryUrl(settings), 1_000),
    ),
  ]);
  const [kafkaReady, registryReady] = results;
  if (kafkaReady.status === 'rejected' || registryReady.status === 'rejected') {
    await Promise.all([stopProcess(kafkaPid, kafka.argv), stopProcess(registryPid, registry.argv)]);
    removeState(layout.stateFile);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
    throw fatalError(
      'STACK_START_FAILED',
      `the local stack did not start; both components were stopped.\n${reasons.join('\n')}`,
    );
  }
  writeState(layout.stateFile, {
    ...state,
    kafka: { ...state.kafka, readyMs: kafkaReady.value },
    registry: { ...state.registry, readyMs: registryReady.value },
  });
  log(`Kafka ready in ${seconds(kafkaReady.value)}, Apicurio Registry ready in ${seconds(registryReady.value)}`);
  return { kafkaDownloadMs, registryDownloadMs, kafkaReadyMs: kafkaReady.value, registryReadyMs: registryReady.value };
}

/** Resolves with the start-to-ready time; rejects at once if the process dies, or after the timeout, with its log tail. */
async function awaitReady(
  name: string,
  pid: number,
  proc: { argv: string[]; logFile: string },
  timeoutMs: number,
  probe: () => Promise<Readiness>,
): Promise<number> {
  const started = Date.now();
  let last = 'no answer yet';
  try {
    await waitFor(
      async () => {
        if (!isSameProcess(pid, proc.argv)) throw new Error(`${name} (pid ${pid}) exited during start-up`);
        const r = await probe();
        last = r.detail;
        return r.ready;
      },
      { timeoutMs, intervalMs: 200, message: () => `${name} to become ready (last probe: ${last})` },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n  ${describeLogTail(proc.logFile)}`);
  }
  return Date.now() - started;
}

/** Keeps the previous run's log as <name>.previous.log: the one worth reading after a crash is often the last one. */
function rotateLog(file: string): string {
  if (existsSync(file)) renameSync(file, file.replace(/\.log$/, '.previous.log'));
  return file;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
