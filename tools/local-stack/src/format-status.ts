import * as path from 'node:path';
import type { ComponentStatus, StackStatus } from './status';

/** The `stack:status` report: one line per component, then the variables to export for a service. */
export function formatStatus(status: StackStatus, cwd = process.cwd()): string[] {
  const rel = (file: string): string => path.relative(cwd, file) || '.';
  const { ports, endpoints } = status;
  const starter = status.startedBy === 'lease' ? 'a test run or `run` (stops when its users finish)' : 'stack:up';
  const users = status.leases > 0 ? `, ${status.leases} lease holder(s) using it` : '';
  const header = status.startedAt
    ? `local stack in ${rel(status.dir)}: started ${status.startedAt} by ${starter}${users}`
    : `local stack in ${rel(status.dir)}: not started`;
  return [
    header,
    component('kafka', status.kafka, `${endpoints.kafkaBrokers.join(',')} (controller ${ports.kafkaControllerPort})`, rel),
    component('registry', status.registry, `${endpoints.schemaRegistryUrl} (health ${status.registryHealthUrl})`, rel),
    ...(status.running
      ? ['', `KAFKA_BROKERS=${endpoints.kafkaBrokers.join(',')}`, `SCHEMA_REGISTRY_URL=${endpoints.schemaRegistryUrl}`]
      : []),
  ];
}

function component(name: string, c: ComponentStatus, where: string, rel: (file: string) => string): string {
  const facts = [
    c.state.padEnd(9),
    c.pid === undefined ? undefined : `pid ${c.pid}`,
    where,
    c.rssBytes === undefined ? undefined : `rss ${formatMegabytes(c.rssBytes)}`,
    c.state === 'running' ? undefined : c.detail,
    `log ${rel(c.logFile)}`,
  ];
  return `  ${name.padEnd(9)} ${facts.filter((f) => f !== undefined).join('  ')}`;
}

export const formatMegabytes = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`;
