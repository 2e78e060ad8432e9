import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fatalError } from '@meterline/stream';
import type { JavaRuntime } from './java';
import { kafkaClasspath } from './kafka-install';
import type { StackLayout } from './layout';
import { tailLines } from './log-tail';
import { newClusterId, renderServerProperties } from './server-properties';
import type { StackPorts } from './settings';

/** The broker's command line; `down` recognises the process by exactly this. */
export function kafkaArgv(java: JavaRuntime, layout: StackLayout): string[] {
  return [
    java.executable,
    '-Xmx1g',
    `-Dlog4j.configuration=file:${layout.kafkaLog4j}`,
    `-Dkafka.logs.dir=${layout.logs}`,
    '-cp',
    kafkaClasspath(layout),
    'kafka.Kafka',
    layout.kafkaServerProperties,
  ];
}

/**
 * A fresh, empty single-node cluster: wipes the data directory (a stack is disposable; tests must not see the last
 * run's topics), renders server.properties, and formats the storage with a new cluster id, which KRaft requires before
 * the first start. Returns the cluster id.
 */
export async function prepareKafka(java: JavaRuntime, layout: StackLayout, ports: StackPorts): Promise<string> {
  rmSync(layout.kafkaData, { recursive: true, force: true });
  mkdirSync(layout.kafkaData, { recursive: true });
  const template = readFileSync(layout.kafkaServerTemplate, 'utf8');
  writeFileSync(
    layout.kafkaServerProperties,
    renderServerProperties(template, {
      kafkaPort: ports.kafkaPort,
      controllerPort: ports.kafkaControllerPort,
      logDirs: layout.kafkaData,
    }),
  );
  const clusterId = newClusterId();
  const args = [
    `-Dlog4j.configuration=file:${layout.kafkaLog4j}`,
    '-cp',
    kafkaClasspath(layout),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    layout.kafkaServerProperties,
    '--ignore-formatted',
  ];
  try {
    await promisify(execFile)(java.executable, args, { cwd: layout.dir });
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    const tail = tailLines(`${stdout}${stderr}`, 20).join('\n    ');
    throw fatalError('STACK_START_FAILED', `formatting Kafka storage failed: ${(err as Error).message}\n    ${tail}`);
  }
  return clusterId;
}
