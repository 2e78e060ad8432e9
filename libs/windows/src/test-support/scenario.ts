import type { EngineOutput } from '../emission';
import type { WindowEngine } from '../engine';
import { intBelow, seeded } from './random';

/** One call into the engine: a record from a partition, or the clock moving on. */
export type Step<R> =
  | { readonly kind: 'add'; readonly partition: number; readonly record: R; readonly now: number }
  | { readonly kind: 'tick'; readonly now: number };

export interface ScenarioShape<R> {
  readonly partitions: number;
  readonly steps: number;
  /** Builds the record for a key at an event time; `random` adds whatever payload the aggregator needs. */
  readonly record: (key: string, t: number, random: () => number) => R;
}

/**
 * A random but replayable stream: partitions advancing at different paces, out-of-order records, some very late ones,
 * partitions that pause long enough to go idle and come back behind, and the clock moving on between records.
 */
export function scenario<R>(seed: number, shape: ScenarioShape<R>): Step<R>[] {
  const random = seeded(seed);
  const cursors = Array.from({ length: shape.partitions }, () => intBelow(random, 50));
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const steps: Step<R>[] = [];
  let now = 0;
  let paused = -1;
  for (let i = 0; i < shape.steps; i++) {
    now += intBelow(random, 30);
    if (random() < 0.05) paused = paused === -1 ? intBelow(random, shape.partitions) : -1;
    if (random() < 0.08) {
      steps.push({ kind: 'tick', now });
      continue;
    }
    let partition = intBelow(random, shape.partitions);
    if (partition === paused) partition = (partition + 1) % shape.partitions;
    cursors[partition] = (cursors[partition] ?? 0) + intBelow(random, 12);
    const cursor = cursors[partition] ?? 0;
    const lateness = random() < 0.05 ? 60 + intBelow(random, 200) : intBelow(random, 25);
    // Each partition owns its keys, as Kafka's keyed partitioning guarantees.
    const key = `${keys[intBelow(random, keys.length)]}${partition}`;
    steps.push({ kind: 'add', partition, record: shape.record(key, cursor - lateness, random), now });
  }
  return steps;
}

export function run<R, A, O>(engine: WindowEngine<R, A, O>, steps: readonly Step<R>[]): EngineOutput<R, O>[] {
  return steps.map((s) => (s.kind === 'add' ? engine.add(s.partition, s.record, s.now) : engine.tick(s.now)));
}
