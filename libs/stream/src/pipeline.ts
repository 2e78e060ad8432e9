import { classify, type MeterlineError } from './errors';
import type { Step } from './step';

/** A value travelling through the pipeline with where it came from (topic/partition/offset, request index, ...). */
export interface Item<T, C> {
  readonly value: T;
  readonly ctx: C;
}

export interface Rejected<C> {
  readonly ctx: C;
  readonly step: string;
  readonly error: MeterlineError;
}

export interface Skipped<C> {
  readonly ctx: C;
  readonly step: string;
  readonly reason: string;
}

export interface BatchResult<O, C> {
  readonly outputs: Item<O, C>[];
  readonly poisoned: Rejected<C>[];
  readonly skipped: Skipped<C>[];
}

/** Told, once per step and batch, how long the step took over how many records. */
export type StepTimer = (step: string, records: number, seconds: number) => void;

type AnyStep<C> = Step<unknown, unknown, C>;

/**
 * An ordered list of named steps. A batch runs step by step (all records through step 1, then the survivors through
 * step 2, ...): each step is timed once per batch instead of once per record, and record order is kept within every
 * step, which stateful steps (dedup, windows) rely on.
 */
export class Pipeline<I, O, C = unknown> {
  private constructor(private readonly steps: readonly AnyStep<C>[]) {}

  static of<I, C = unknown>(): Pipeline<I, I, C> {
    return new Pipeline<I, I, C>([]);
  }

  then<N>(next: Step<O, N, C>): Pipeline<I, N, C> {
    return new Pipeline<I, N, C>([...this.steps, next as AnyStep<C>]);
  }

  get stepNames(): readonly string[] {
    return this.steps.map((s) => s.name);
  }

  /**
   * Poison outcomes (returned, or thrown as a poison MeterlineError) are collected per record; any other thrown error
   * is classified and rethrown, because a transient failure must retry the whole batch and a bug must stop the service.
   */
  runBatch(inputs: readonly Item<I, C>[], timer?: StepTimer): BatchResult<O, C> {
    const poisoned: Rejected<C>[] = [];
    const skipped: Skipped<C>[] = [];
    let current: readonly Item<unknown, C>[] = inputs;
    for (const s of this.steps) {
      const started = performance.now();
      const next: Item<unknown, C>[] = [];
      for (const item of current) {
        const outcome = runStep(s, item);
        if (outcome.kind === 'ok') {
          for (const value of outcome.values) next.push({ value, ctx: item.ctx });
        } else if (outcome.kind === 'skip') {
          skipped.push({ ctx: item.ctx, step: s.name, reason: outcome.reason });
        } else {
          poisoned.push({ ctx: item.ctx, step: s.name, error: outcome.error });
        }
      }
      timer?.(s.name, current.length, (performance.now() - started) / 1000);
      current = next;
    }
    return { outputs: current as Item<O, C>[], poisoned, skipped };
  }
}

function runStep<C>(s: AnyStep<C>, item: Item<unknown, C>) {
  try {
    return s.run(item.value, item.ctx);
  } catch (err) {
    const classified = classify(err);
    if (classified.kind === 'poison') return { kind: 'poison', error: classified } as const;
    throw classified;
  }
}
