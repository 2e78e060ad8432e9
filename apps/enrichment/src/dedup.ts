/** What a deduplicator keeps per node: the (metric, event time) pairs seen recently, and the node's newest time. */
export interface NodeDedupState {
  readonly newest: number;
  readonly seen: readonly string[];
}

/**
 * Drops exact repeats of a sample: same node, metric and event time (a retried HTTP request, a file replayed twice,
 * two scrapes of one exporter). State is bounded: per node, only pairs within `horizonMs` of the node's newest event
 * time are kept — a repeat older than that is counted as new, which the horizon (larger than any lateness the
 * pipeline accepts) makes a non-case in practice. State is per node so it can be written to a changelog per key.
 */
export class Deduplicator {
  private readonly nodes = new Map<string, { newest: number; seen: Set<string> }>();
  private readonly changed = new Set<string>();

  constructor(private readonly horizonMs: number) {}

  /** True when this (node, metric, event time) was already seen; records it otherwise. */
  isRepeat(nodeId: string, metric: string, eventTime: number): boolean {
    let node = this.nodes.get(nodeId);
    if (!node) this.nodes.set(nodeId, (node = { newest: eventTime, seen: new Set() }));
    const id = `${eventTime}|${metric}`;
    if (node.seen.has(id)) return true;
    if (eventTime < node.newest - this.horizonMs) return false;
    node.seen.add(id);
    if (eventTime > node.newest) {
      node.newest = eventTime;
      const oldest = eventTime - this.horizonMs;
      for (const entry of node.seen) if (Number(entry.slice(0, entry.indexOf('|'))) < oldest) node.seen.delete(entry);
    }
    this.changed.add(nodeId);
    return false;
  }

  get size(): number {
    let n = 0;
    for (const node of this.nodes.values()) n += node.seen.size;
    return n;
  }

  /** The nodes whose state changed since the last drain, with that state (for the changelog). */
  drainChanges(): [string, NodeDedupState][] {
    const out: [string, NodeDedupState][] = [];
    for (const nodeId of this.changed) {
      const node = this.nodes.get(nodeId);
      if (node) out.push([nodeId, { newest: node.newest, seen: [...node.seen] }]);
    }
    this.changed.clear();
    return out;
  }

  restore(nodeId: string, state: NodeDedupState | null): void {
    if (state === null) this.nodes.delete(nodeId);
    else this.nodes.set(nodeId, { newest: state.newest, seen: new Set(state.seen) });
  }
}
