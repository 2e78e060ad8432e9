import type { JavaRuntime } from './java';
import type { StackLayout } from './layout';
import { registryJar } from './registry-install';
import { REQUIRED_COMPATIBILITY } from './registry-probe';
import type { StackPorts } from './settings';

/**
 * The registry's command line; `down` recognises the process by exactly this. Storage is the default in-memory H2:
 * like Kafka's data, schemas last as long as the stack. Both interfaces bind to 127.0.0.1 only; the management one
 * serves /health/ready.
 */
export function registryArgv(java: JavaRuntime, layout: StackLayout, ports: StackPorts): string[] {
  return [
    java.executable,
    '-Xmx512m',
    '-Dquarkus.http.host=127.0.0.1',
    `-Dquarkus.http.port=${ports.registryPort}`,
    '-Dquarkus.management.host=127.0.0.1',
    `-Dquarkus.management.port=${ports.registryManagementPort}`,
    `-Dapicurio.rules.global.compatibility=${REQUIRED_COMPATIBILITY}`,
    '-jar',
    registryJar(layout),
  ];
}
