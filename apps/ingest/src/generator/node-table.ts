import { instanceTypes, region, zones, type InstanceType, type Pool } from './catalog';
import type { ResolvedOptions } from './options';
import { createRng, type Rng } from './prng';

/** How a node's workload behaves, as fractions of its capacity. */
export interface LoadProfile {
  readonly cpuIdle: number;
  readonly cpuPeak: number;
  readonly memoryBase: number;
  readonly memorySwing: number;
}

/** A node of the generated cluster, with the quirks it was picked for. Ticks index sampling instants. */
export interface GeneratedNode {
  readonly index: number;
  readonly id: string;
  readonly zone: string;
  readonly instanceType: InstanceType;
  /** A changed instance type from `update.tick` on: a metadata update, and new capacities. */
  readonly update: { readonly tick: number; readonly instanceType: InstanceType } | null;
  /** Removed at this tick: a tombstone, and no samples from it on. */
  readonly removalTick: number | null;
  /** Metadata first emitted at the end of this tick rather than before the first sample; null = on time. */
  readonly lateMetadataTick: number | null;
  readonly withoutCapacity: boolean;
  /** When in each interval the node is scraped; a quarter of the nodes sit exactly on the interval grid. */
  readonly scrapeOffsetMs: number;
  readonly profile: LoadProfile;
  /** First tick without samples: the removal tick or the end of the dataset. */
  readonly endTick: number;
}

const MINUTE = 60_000;

const profiles: Record<Pool, (rng: Rng) => LoadProfile> = {
  general: (rng) => ({
    cpuIdle: rng.between(0.04, 0.12),
    cpuPeak: rng.between(0.35, 0.7),
    memoryBase: rng.between(0.3, 0.5),
    memorySwing: rng.between(0.1, 0.25),
  }),
  compute: (rng) => ({
    cpuIdle: rng.between(0.06, 0.15),
    cpuPeak: rng.between(0.55, 0.85),
    memoryBase: rng.between(0.25, 0.45),
    memorySwing: rng.between(0.1, 0.2),
  }),
  memory: (rng) => ({
    cpuIdle: rng.between(0.03, 0.1),
    cpuPeak: rng.between(0.25, 0.5),
    memoryBase: rng.between(0.5, 0.7),
    memorySwing: rng.between(0.05, 0.15),
  }),
};

const totalWeight = instanceTypes.reduce((sum, t) => sum + t.weight, 0);

function pickInstanceType(rng: Rng): InstanceType {
  let x = rng.float() * totalWeight;
  for (const t of instanceTypes) {
    x -= t.weight;
    if (x < 0) return t;
  }
  return instanceTypes[instanceTypes.length - 1] as InstanceType;
}

function pickOtherInstanceType(rng: Rng, current: InstanceType): InstanceType {
  const others = instanceTypes.filter((t) => t !== current);
  return others[rng.int(others.length)] as InstanceType;
}

function shuffled(n: number, rng: Rng): number[] {
  const xs = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [xs[i], xs[j]] = [xs[j] as number, xs[i] as number];
  }
  return xs;
}

/** EKS-style private DNS names, unique by index (up to 2²⁰ nodes); the second octet tells the zone's subnet. */
function nodeId(index: number, zoneIndex: number): string {
  const host = index + 10;
  return `ip-10-${16 * zoneIndex + (host >>> 16)}-${(host >>> 8) & 255}-${host & 255}.${region}.compute.internal`;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** The cluster for these options: instance types, zones, load profiles, and which nodes carry which quirk. */
export function buildNodes(o: ResolvedOptions): GeneratedNode[] {
  const rng = createRng(o.seed, 'nodes');
  const lastTick = o.ticks - 1;
  const base = Array.from({ length: o.nodes }, (_, index) => {
    const instanceType = pickInstanceType(rng);
    const zoneIndex = index % zones.length;
    const seconds = Math.floor(o.intervalMs / 1000);
    return {
      index,
      id: nodeId(index, zoneIndex),
      zone: zones[zoneIndex] as string,
      instanceType,
      profile: profiles[instanceType.pool](rng),
      scrapeOffsetMs: index % 4 === 0 ? 0 : rng.int(seconds) * 1000,
    };
  });

  // Roles are dealt from one shuffle so that a node carries at most one of them.
  const order = shuffled(o.nodes, rng);
  const removed = new Set(order.slice(0, o.removedNodes));
  const updated = new Set(order.slice(o.removedNodes, o.removedNodes + o.metadataUpdates));
  const lateCount = Math.round(o.rates.lateMetadataNodes * o.nodes);
  const late = new Set(order.slice(o.removedNodes + o.metadataUpdates, o.removedNodes + o.metadataUpdates + lateCount));
  const withoutCapacity = new Set(shuffled(o.nodes, rng).slice(0, Math.round(o.rates.nodesWithoutCapacity * o.nodes)));

  return base.map((node) => {
    const removalTick = removed.has(node.index)
      ? clamp(rng.intBetween(Math.ceil(o.ticks / 2), Math.floor((3 * o.ticks) / 4)), 1, lastTick)
      : null;
    const update = updated.has(node.index)
      ? {
          tick: clamp(rng.intBetween(Math.ceil(o.ticks / 4), Math.floor((3 * o.ticks) / 4)), 1, lastTick),
          instanceType: pickOtherInstanceType(rng, node.instanceType),
        }
      : null;
    const lateMetadataTick = late.has(node.index)
      ? clamp(Math.floor(rng.between(2 * MINUTE, 30 * MINUTE) / o.intervalMs), 0, lastTick)
      : null;
    return {
      ...node,
      update,
      removalTick,
      lateMetadataTick,
      withoutCapacity: withoutCapacity.has(node.index),
      endTick: removalTick ?? o.ticks,
    };
  });
}

/** The instance type in effect at a tick. */
export const instanceTypeAt = (node: GeneratedNode, tick: number): InstanceType =>
  node.update && tick >= node.update.tick ? node.update.instanceType : node.instanceType;
