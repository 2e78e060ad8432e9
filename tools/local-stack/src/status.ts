import { liveLeases } from './leases';
import { logFileOf, type StackLayout } from './layout';
import { isSameProcess, residentBytes } from './processes';
import { kafkaReadiness, type Readiness } from './readiness';
import { probeRegistry } from './registry-probe';
import { kafkaBrokers, registryHealthUrl, schemaRegistryUrl, type StackPorts } from './settings';
import { readState, type StackState } from './state';

/** What clients need: the values of KAFKA_BROKERS and SCHEMA_REGISTRY_URL, and Kafka's jars for its own CLI tools. */
export interface StackEndpoints {
  readonly kafkaBrokers: readonly string[];
  readonly schemaRegistryUrl: string;
  /** Every jar of Kafka 3.9 and its tools: `java -cp '<dir>/*' org.apache.kafka.tools.ProducerPerformance ...`. */
  readonly kafkaLibsDir: string;
}

export type ComponentState = 'running' | 'unhealthy' | 'stopped';

export interface ComponentStatus {
  readonly state: ComponentState;
  readonly pid: number | undefined;
  readonly rssBytes: number | undefined;
  /** What the probe saw, or why the component is not running. */
  readonly detail: string;
  readonly logFile: string;
}

export interface StackStatus {
  /** Both components run and answer. */
  readonly running: boolean;
  readonly dir: string;
  readonly startedAt: string | undefined;
  readonly startedBy: StackState['startedBy'] | undefined;
  /** Processes currently holding a lease (test runs, `run`). */
  readonly leases: number;
  readonly ports: StackPorts;
  readonly endpoints: StackEndpoints;
  readonly registryHealthUrl: string;
  readonly kafka: ComponentStatus;
  readonly registry: ComponentStatus;
}

/**
 * Looks at the recorded processes and asks each component whether it answers. A recorded pid that is now some other
 * process counts as stopped. The ports shown are the running stack's (from the state file) when there is one, else
 * the configured ones.
 */
export async function inspectStack(
  configured: StackPorts,
  layout: StackLayout,
  state = readState(layout.stateFile),
): Promise<StackStatus> {
  const ports: StackPorts = state
    ? {
        kafkaPort: state.kafka.port,
        kafkaControllerPort: state.kafka.controllerPort,
        registryPort: state.registry.port,
        registryManagementPort: state.registry.managementPort,
      }
    : configured;
  const endpoints: StackEndpoints = {
    kafkaBrokers: kafkaBrokers(ports),
    schemaRegistryUrl: schemaRegistryUrl(ports),
    kafkaLibsDir: layout.kafkaLibs,
  };
  const [kafka, registry] = await Promise.all([
    inspectComponent(state?.kafka, logFileOf(layout, 'kafka'), () => kafkaReadiness(ports.kafkaPort)),
    inspectComponent(state?.registry, logFileOf(layout, 'registry'), () =>
      probeRegistry(registryHealthUrl(ports), endpoints.schemaRegistryUrl),
    ),
  ]);
  return {
    running: kafka.state === 'running' && registry.state === 'running',
    dir: layout.dir,
    startedAt: state?.startedAt,
    startedBy: state?.startedBy,
    leases: liveLeases(layout.leasesDir).length,
    ports,
    endpoints,
    registryHealthUrl: registryHealthUrl(ports),
    kafka,
    registry,
  };
}

async function inspectComponent(
  recorded: { pid: number; argv: string[] } | undefined,
  logFile: string,
  probe: () => Promise<Readiness>,
): Promise<ComponentStatus> {
  if (!recorded) return { state: 'stopped', pid: undefined, rssBytes: undefined, detail: 'not started', logFile };
  if (!isSameProcess(recorded.pid, recorded.argv)) {
    return { state: 'stopped', pid: undefined, rssBytes: undefined, detail: `process ${recorded.pid} has exited`, logFile };
  }
  const { ready, detail } = await probe();
  return { state: ready ? 'running' : 'unhealthy', pid: recorded.pid, rssBytes: residentBytes(recorded.pid), detail, logFile };
}
