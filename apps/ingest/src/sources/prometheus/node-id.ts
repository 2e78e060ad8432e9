import type { PromLabel } from './series';

export interface NodeIdOptions {
  /** Labels tried in order; the first one present with a non-empty value names the node. E.g. `['node', 'instance']`. */
  readonly nodeLabels: readonly string[];
  /**
   * `instance` is `host:port` by default in Prometheus, so one node's exporters (node-exporter on 9100, kubelet on
   * 10250) would otherwise look like different nodes. Only `instance` is changed; other labels are names already.
   */
  readonly stripInstancePort: boolean;
}

/** `host:9100` → `host`, `[::1]:9100` → `::1`; a bare IPv6 address (`fe80::1`) or a name without a port stays. */
export function stripPort(instance: string): string {
  const bracketed = /^\[(.+)\]:\d+$/.exec(instance);
  if (bracketed?.[1]) return bracketed[1];
  const hostPort = /^([^:]+):\d+$/.exec(instance);
  return hostPort?.[1] ?? instance;
}

/** The node a series belongs to, or undefined (validation then rejects the sample for its missing node id). */
export function nodeIdOf(labels: readonly PromLabel[], options: NodeIdOptions): string | undefined {
  for (const name of options.nodeLabels) {
    const value = labels.find((l) => l.name === name)?.value;
    if (value === undefined || value === '') continue;
    return name === 'instance' && options.stripInstancePort ? stripPort(value) : value;
  }
  return undefined;
}
