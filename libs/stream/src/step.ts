import type { Outcome } from './outcome';

/** A named, synchronous transformation of one record. Steps are pure or own their state explicitly. */
export interface Step<I, O, C = unknown> {
  readonly name: string;
  run(input: I, ctx: C): Outcome<O>;
}

export const step = <I, O, C = unknown>(name: string, run: (input: I, ctx: C) => Outcome<O>): Step<I, O, C> => ({
  name,
  run,
});
