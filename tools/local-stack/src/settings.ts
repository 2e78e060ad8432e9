import * as path from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  envVar,
  loadConfig,
  LOCAL_KAFKA_BROKERS,
  LOCAL_SCHEMA_REGISTRY_URL,
  port,
  type ConfigOf,
} from '@meterline/config';

/** The checkout this file lives in: tools/local-stack/src → the repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Templates and the Maven pom the stack is built from (deploy/local). */
export const DEPLOY_DIR = path.join(REPO_ROOT, 'deploy', 'local');

// Services default to LOCAL_KAFKA_BROKERS / LOCAL_SCHEMA_REGISTRY_URL when nothing is configured; deriving our defaults
// from the same constants keeps a default stack and a default service in agreement.
const DEFAULT_KAFKA_PORT = Number(LOCAL_KAFKA_BROKERS.split(':').at(-1));
const DEFAULT_REGISTRY_PORT = Number(new URL(LOCAL_SCHEMA_REGISTRY_URL).port);

// Port 0 (ask the OS) cannot work here: the ports are written into server.properties and handed to other processes.
const fixedPort = port.refine((p) => p > 0, 'the local stack needs a fixed port, not 0').optional();

export const stackEnv = {
  dir: envVar('METERLINE_STACK_DIR', z.string().optional(), 'downloads, data, logs and state of the local stack'),
  kafkaPort: envVar('METERLINE_KAFKA_PORT', fixedPort, `Kafka listener port (default ${DEFAULT_KAFKA_PORT})`),
  kafkaControllerPort: envVar('METERLINE_KAFKA_CONTROLLER_PORT', fixedPort, 'KRaft controller port (default Kafka port + 1)'),
  registryPort: envVar('METERLINE_REGISTRY_PORT', fixedPort, `registry API port (default ${DEFAULT_REGISTRY_PORT})`),
  registryManagementPort: envVar(
    'METERLINE_REGISTRY_MANAGEMENT_PORT',
    fixedPort,
    'registry health/metrics port (default registry port + 1)',
  ),
  javaHome: envVar('JAVA_HOME', z.string().optional(), 'a JDK tried before the one on PATH and those in /usr/lib/jvm'),
  path: envVar('PATH', z.string().default(''), 'where mvn and java are looked up'),
} as const;

export interface StackPorts {
  readonly kafkaPort: number;
  readonly kafkaControllerPort: number;
  readonly registryPort: number;
  readonly registryManagementPort: number;
}

export interface StackSettings extends StackPorts {
  /** Absolute directory holding everything the stack downloads and writes. */
  readonly dir: string;
  readonly javaHome: string | undefined;
  readonly searchPath: string;
}

/** What a caller of the programmatic API may override; the rest comes from the environment. */
export type StackOverrides = Partial<Pick<StackSettings, 'dir' | keyof StackPorts>>;

/** Settings from the process environment, overridden by explicit options. */
export const loadStackSettings = (overrides: StackOverrides = {}): StackSettings =>
  resolveStackSettings(loadConfig(stackEnv), overrides);

/**
 * The controller and management ports follow the main ports by default, so moving a whole stack aside takes one
 * variable per component.
 */
export function resolveStackSettings(fromEnv: ConfigOf<typeof stackEnv>, overrides: StackOverrides = {}): StackSettings {
  const kafkaPort = overrides.kafkaPort ?? fromEnv.kafkaPort ?? DEFAULT_KAFKA_PORT;
  const registryPort = overrides.registryPort ?? fromEnv.registryPort ?? DEFAULT_REGISTRY_PORT;
  const ports: StackPorts = {
    kafkaPort,
    kafkaControllerPort: overrides.kafkaControllerPort ?? fromEnv.kafkaControllerPort ?? kafkaPort + 1,
    registryPort,
    registryManagementPort: overrides.registryManagementPort ?? fromEnv.registryManagementPort ?? registryPort + 1,
  };
  assertDistinctPorts(ports);
  return Object.freeze({
    dir: path.resolve(REPO_ROOT, overrides.dir ?? fromEnv.dir ?? path.join('.cache', 'local-stack')),
    ...ports,
    javaHome: fromEnv.javaHome,
    searchPath: fromEnv.path,
  });
}

function assertDistinctPorts(ports: StackPorts): void {
  const seen = new Map<number, string>();
  const problems: string[] = [];
  for (const [name, value] of Object.entries(ports) as [keyof StackPorts, number][]) {
    const other = seen.get(value);
    if (other !== undefined) problems.push(`${name} (${value}) is the same port as ${other}`);
    seen.set(value, name);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

export const kafkaBrokers = (s: StackPorts): string[] => [`127.0.0.1:${s.kafkaPort}`];

/** The Confluent-compatible API of the registry: the URL clients (and SCHEMA_REGISTRY_URL) use. */
export function schemaRegistryUrl(s: StackPorts): string {
  const url = new URL(LOCAL_SCHEMA_REGISTRY_URL);
  url.hostname = '127.0.0.1';
  url.port = String(s.registryPort);
  return url.toString().replace(/\/+$/, '');
}

export const registryHealthUrl = (s: StackPorts): string => `http://127.0.0.1:${s.registryManagementPort}/health/ready`;
