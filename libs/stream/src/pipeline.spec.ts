import { fatalError, MeterlineError, poisonError, transientError } from './errors';
import { many, ok, poison, skip } from './outcome';
import { Pipeline, type Item } from './pipeline';
import { step } from './step';

type Ctx = { offset: number };
const items = (...values: number[]): Item<number, Ctx>[] => values.map((value, offset) => ({ value, ctx: { offset } }));

describe('Pipeline', () => {
  it('passes each record through the steps in order and keeps record order', () => {
    const p = Pipeline.of<number, Ctx>()
      .then(step('double', (n: number) => ok(n * 2)))
      .then(step('describe', (n: number) => ok(`v${n}`)));
    const result = p.runBatch(items(1, 2, 3));
    expect(result.outputs.map((o) => o.value)).toEqual(['v2', 'v4', 'v6']);
    expect(result.outputs.map((o) => o.ctx.offset)).toEqual([0, 1, 2]);
    expect(p.stepNames).toEqual(['double', 'describe']);
  });

  it('fans out and filters, keeping each output tied to its source record', () => {
    const p = Pipeline.of<number, Ctx>().then(step('repeat', (n: number) => many(Array.from({ length: n }, () => n))));
    const result = p.runBatch(items(2, 0, 1));
    expect(result.outputs).toEqual([
      { value: 2, ctx: { offset: 0 } },
      { value: 2, ctx: { offset: 0 } },
      { value: 1, ctx: { offset: 2 } },
    ]);
  });

  it('collects poison and skips per record and still processes the records around them', () => {
    const p = Pipeline.of<number, Ctx>()
      .then(step('validate', (n: number) => (n < 0 ? poison(poisonError('NEGATIVE', `${n} < 0`)) : ok(n))))
      .then(step('dedup', (n: number) => (n === 7 ? skip('duplicate') : ok(n))));
    const result = p.runBatch(items(1, -1, 7, 2));
    expect(result.outputs.map((o) => o.value)).toEqual([1, 2]);
    expect(result.poisoned).toHaveLength(1);
    expect(result.poisoned[0]).toMatchObject({ ctx: { offset: 1 }, step: 'validate', error: { code: 'NEGATIVE' } });
    expect(result.skipped).toEqual([{ ctx: { offset: 2 }, step: 'dedup', reason: 'duplicate' }]);
  });

  it('treats a thrown poison error like a returned one', () => {
    const p = Pipeline.of<number, Ctx>().then(
      step('parse', (n: number) => {
        if (n === 0) throw poisonError('ZERO', 'zero is not allowed');
        return ok(n);
      }),
    );
    const result = p.runBatch(items(0, 5));
    expect(result.poisoned.map((r) => r.error.code)).toEqual(['ZERO']);
    expect(result.outputs.map((o) => o.value)).toEqual([5]);
  });

  it('rethrows transient errors so the whole batch can be retried', () => {
    const p = Pipeline.of<number, Ctx>().then(
      step('lookup', () => {
        throw transientError('REGISTRY_UNAVAILABLE', 'connection refused');
      }),
    );
    expect(() => p.runBatch(items(1))).toThrow(expect.objectContaining({ code: 'REGISTRY_UNAVAILABLE', retriable: true }));
  });

  it('turns an unexpected exception into a fatal, non-retriable error that keeps the cause', () => {
    const bug = new TypeError('x is undefined');
    const p = Pipeline.of<number, Ctx>().then(
      step('buggy', () => {
        throw bug;
      }),
    );
    let caught: unknown;
    try {
      p.runBatch(items(1));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(MeterlineError);
    expect(caught).toMatchObject({ kind: 'fatal', code: 'UNEXPECTED', retriable: false, cause: bug });
  });

  it('reports each step once per batch with the number of records it saw', () => {
    const timings: [string, number][] = [];
    const p = Pipeline.of<number, Ctx>()
      .then(step('keepOdd', (n: number) => (n % 2 ? ok(n) : skip('even'))))
      .then(step('id', (n: number) => ok(n)));
    p.runBatch(items(1, 2, 3, 4, 5), (name, records, seconds) => {
      expect(seconds).toBeGreaterThanOrEqual(0);
      timings.push([name, records]);
    });
    expect(timings).toEqual([
      ['keepOdd', 5],
      ['id', 3],
    ]);
  });
});

describe('MeterlineError', () => {
  it('is retriable only when transient', () => {
    expect(transientError('A', 'a').retriable).toBe(true);
    expect(poisonError('B', 'b').retriable).toBe(false);
    expect(fatalError('C', 'c').retriable).toBe(false);
  });
});
