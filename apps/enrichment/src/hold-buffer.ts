import type { NodeMetricRaw } from '@meterline/schemas';

export interface Held {
  readonly raw: NodeMetricRaw;
  /** Wall-clock time it started waiting (the policy's timeout is "up to N seconds"). */
  readonly since: number;
}

/**
 * Samples of nodes whose metadata has not arrived yet: metadata arriving after its metrics is a normal case. A
 * sample waits until its node's metadata is known (then it is joined) or for `timeoutMs` (then it goes on without
 * metadata, counted). Bounded: at `maxRecords` the longest-waiting sample is let go early, never dropped.
 */
export class HoldBuffer {
  private readonly byNode = new Map<string, Held[]>();
  private count = 0;
  private readonly changed = new Set<string>();

  constructor(
    private readonly timeoutMs: number,
    private readonly maxRecords: number,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Whether samples of the node are waiting: a newer one must wait behind them, so a node's samples keep their order. */
  isHolding(nodeId: string): boolean {
    return this.byNode.has(nodeId);
  }

  /** Holds a sample; returns the samples pushed out to make room (to be emitted without metadata). */
  hold(raw: NodeMetricRaw, now: number): NodeMetricRaw[] {
    const list = this.byNode.get(raw.node_id) ?? [];
    list.push({ raw, since: now });
    this.byNode.set(raw.node_id, list);
    this.changed.add(raw.node_id);
    this.count++;
    const evicted: NodeMetricRaw[] = [];
    while (this.count > this.maxRecords) {
      const oldest = this.oldest();
      if (!oldest) break;
      evicted.push(...this.take(oldest, 1));
    }
    return evicted;
  }

  /**
   * Lets go of what may go: every sample of a node whose metadata is now known (`ready`), and every sample that
   * waited `timeoutMs`. Samples of one node leave in arrival order.
   */
  release(isKnown: (nodeId: string) => boolean, now: number): { known: NodeMetricRaw[]; expired: NodeMetricRaw[] } {
    const known: NodeMetricRaw[] = [];
    const expired: NodeMetricRaw[] = [];
    for (const [nodeId, list] of [...this.byNode]) {
      if (isKnown(nodeId)) {
        known.push(...this.take(nodeId, list.length));
        continue;
      }
      const due = list.findIndex((h) => now - h.since < this.timeoutMs);
      const count = due === -1 ? list.length : due;
      if (count > 0) expired.push(...this.take(nodeId, count));
    }
    return { known, expired };
  }

  drainChanges(): [string, readonly Held[] | null][] {
    const out: [string, readonly Held[] | null][] = [...this.changed].map((nodeId) => [nodeId, this.byNode.get(nodeId) ?? null]);
    this.changed.clear();
    return out;
  }

  restore(nodeId: string, held: readonly Held[] | null): void {
    this.count -= this.byNode.get(nodeId)?.length ?? 0;
    if (held === null || held.length === 0) this.byNode.delete(nodeId);
    else {
      this.byNode.set(nodeId, [...held]);
      this.count += held.length;
    }
  }

  private oldest(): string | undefined {
    let best: string | undefined;
    let since = Number.POSITIVE_INFINITY;
    for (const [nodeId, list] of this.byNode) {
      const first = list[0];
      if (first && first.since < since) [best, since] = [nodeId, first.since];
    }
    return best;
  }

  private take(nodeId: string, count: number): NodeMetricRaw[] {
    const list = this.byNode.get(nodeId) ?? [];
    const taken = list.splice(0, count).map((h) => h.raw);
    if (list.length === 0) this.byNode.delete(nodeId);
    this.count -= taken.length;
    this.changed.add(nodeId);
    return taken;
  }
}
