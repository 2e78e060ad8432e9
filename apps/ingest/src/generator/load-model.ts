import type { LoadProfile } from './node-table';
import type { Rng } from './prng';

// Bound once, as in prng.ts: global lookups are slow inside Jest's sandbox.
const { min, max, round } = Math;

/** What a node's load carries from one sample to the next. */
export interface LoadState {
  /** Slowly wandering deviations (AR(1)), so neighbouring samples look related rather than independent. */
  cpuDrift: number;
  memoryDrift: number;
  burstTicksLeft: number;
  burstHeight: number;
}

/** Utilisation of CPU and memory at one instant, as fractions of capacity, and whether a burst began. */
export interface Load {
  readonly cpu: number;
  readonly memory: number;
  readonly burstStarted: boolean;
}

export const initialLoadState = (): LoadState => ({ cpuDrift: 0, memoryDrift: 0, burstTicksLeft: 0, burstHeight: 0 });

const MINUTE = 60_000;
const clamp = (x: number, lo: number, hi: number) => min(hi, max(lo, x));

export interface LoadStep {
  readonly profile: LoadProfile;
  /** The cluster's activity at this instant (daily-cycle.ts), 0 to 1. */
  readonly activity: number;
  /** Probability that a burst starts at this sample. */
  readonly burstChance: number;
  readonly intervalMs: number;
}

/**
 * Advances a node's load by one interval. CPU follows the daily cycle between the node's idle and peak level, plus
 * drift, jitter and bursts; a burst can saturate the node (utilisation 1). Memory moves less and never exceeds 95 %:
 * a node at its memory limit would be evicting pods, not reporting. Draws a fixed number of values per call except
 * when a burst starts, so the stream of values stays the same whatever the quirk rates.
 */
export function nextLoad(state: LoadState, step: LoadStep, rng: Rng): Load {
  const { profile, activity } = step;
  let burstStarted = false;
  if (state.burstTicksLeft === 0 && rng.float() < step.burstChance) {
    burstStarted = true;
    state.burstHeight = rng.between(0.25, 0.6);
    state.burstTicksLeft = max(1, round(rng.between(5 * MINUTE, 30 * MINUTE) / step.intervalMs));
  }
  const burst = state.burstTicksLeft > 0 ? state.burstHeight : 0;
  if (state.burstTicksLeft > 0) state.burstTicksLeft -= 1;

  state.cpuDrift = 0.9 * state.cpuDrift + 0.02 * rng.normal();
  state.memoryDrift = 0.98 * state.memoryDrift + 0.004 * rng.normal();
  const cpu = profile.cpuIdle + (profile.cpuPeak - profile.cpuIdle) * activity + state.cpuDrift + 0.015 * rng.normal() + burst;
  const memory = profile.memoryBase + profile.memorySwing * activity + state.memoryDrift + 0.3 * burst;
  return { cpu: clamp(cpu, 0.005, 1), memory: clamp(memory, 0.05, 0.95), burstStarted };
}
