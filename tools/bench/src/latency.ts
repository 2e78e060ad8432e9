import type { Stamps } from './read-back';
import { summarize, type LatencySummary } from './stats';

export interface RelayLatency extends LatencySummary {
  /** Records read on the source with no copy on the target (should be 0). */
  readonly missing: number;
}

/**
 * Target append time − source append time per sequence number. Both stamps come from the one broker's clock, so no
 * clock skew enters; the figure is what a record gains passing through the relay: the fetch wait, decode, pipeline,
 * encode and the acks=all produce (the commit follows the produce and is not included).
 */
export function relayLatency(source: Stamps, target: Stamps): RelayLatency {
  const latencies: number[] = [];
  let missing = 0;
  for (const [seq, sourceTime] of source) {
    const targetTime = target.get(seq);
    if (targetTime === undefined) missing++;
    else latencies.push(targetTime - sourceTime);
  }
  return { ...summarize(latencies), missing };
}
