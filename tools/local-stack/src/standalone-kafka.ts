import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { locateJava } from './java';
import { installKafka } from './kafka-install';
import { kafkaArgv, prepareKafka } from './kafka-server';
import { stackLayout, type StackLayout } from './layout';
import { assertPortsFree } from './ports';
import { isSameProcess, spawnDetached, stopProcess } from './processes';
import { kafkaReadiness } from './readiness';
import { loadStackSettings } from './settings';
import { waitFor } from './wait-for';

export interface StandaloneKafkaOptions {
  /** Holds this broker's data, config and log; the jars come from the shared stack's cache. */
  readonly dir: string;
  readonly kafkaPort: number;
  readonly controllerPort: number;
  readonly readyTimeoutMs?: number;
}

/**
 * A single broker of its own, beside the shared stack, for tests that must stop and restart Kafka (readiness going
 * false and back) without pulling the broker from under every other test. `stop()` keeps the data, so `start()`
 * brings back the same cluster with its topics and committed offsets, as a real broker restart would.
 */
export interface StandaloneKafka {
  readonly brokers: readonly string[];
  readonly logFile: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function standaloneKafka(options: StandaloneKafkaOptions): Promise<StandaloneKafka> {
  const settings = loadStackSettings();
  const shared = stackLayout(settings.dir);
  await installKafka(shared, settings.searchPath, () => undefined);
  mkdirSync(options.dir, { recursive: true });
  const layout: StackLayout = {
    ...shared,
    dir: options.dir,
    kafkaData: path.join(options.dir, 'data'),
    kafkaServerProperties: path.join(options.dir, 'server.properties'),
    logs: options.dir,
  };
  const ports = { kafkaPort: options.kafkaPort, kafkaControllerPort: options.controllerPort };
  await assertPortsFree([
    { name: 'standalone Kafka', port: options.kafkaPort, envVar: 'the test options' },
    { name: 'standalone Kafka controller', port: options.controllerPort, envVar: 'the test options' },
  ]);
  const java = locateJava(17, 'Kafka 3.9', { javaHome: settings.javaHome, searchPath: settings.searchPath });
  await prepareKafka(java, layout, { ...ports, registryPort: 0, registryManagementPort: 0 });
  const argv = kafkaArgv(java, layout);
  const logFile = path.join(options.dir, 'kafka.log');
  let pid: number | undefined;

  return {
    brokers: [`127.0.0.1:${options.kafkaPort}`],
    logFile,
    async start() {
      if (pid !== undefined && isSameProcess(pid, argv)) return;
      const started = await spawnDetached(argv, { cwd: options.dir, logFile });
      pid = started;
      await waitFor(
        async () => {
          if (!isSameProcess(started, argv)) throw new Error(`standalone Kafka (pid ${started}) exited; see ${logFile}`);
          return (await kafkaReadiness(options.kafkaPort, 1_000)).ready;
        },
        { timeoutMs: options.readyTimeoutMs ?? 120_000, intervalMs: 200, message: `standalone Kafka on ${options.kafkaPort}` },
      );
    },
    async stop() {
      if (pid === undefined) return;
      await stopProcess(pid, argv);
      pid = undefined;
    },
  };
}
