import { defaultGeneratorOptions, GeneratorOptionsError, resolveGeneratorOptions } from './options';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof GeneratorOptionsError) return error.problems;
    throw error;
  }
  throw new Error('expected the options to be rejected');
}

describe('resolveGeneratorOptions', () => {
  it('resolves the defaults to the demo dataset: 20 nodes, six hours at one sample a minute', () => {
    const o = resolveGeneratorOptions();
    expect(o).toMatchObject({ seed: 7, nodes: 20, intervalMs: 60_000, ticks: 360, startMs: Date.UTC(2024, 7, 26, 6) });
  });

  it('merges single rates onto the default rates', () => {
    const o = resolveGeneratorOptions({ rates: { late: 0.02 } });
    expect(o.rates).toEqual({ ...defaultGeneratorOptions.rates, late: 0.02 });
  });

  it('reads the start like any event time, ISO-8601 or epoch', () => {
    expect(resolveGeneratorOptions({ start: 1724630400 }).startMs).toBe(Date.UTC(2024, 7, 26));
    expect(resolveGeneratorOptions({ start: '2024-08-26T02:00:00+02:00' }).startMs).toBe(Date.UTC(2024, 7, 26));
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(() =>
      resolveGeneratorOptions({ seed: -1, nodes: 0, start: 'yesterday', intervalMs: 10, cluster: ' ', rates: { duplicates: 2 } }),
    );
    expect(problems).toEqual([
      expect.stringContaining('seed'),
      expect.stringContaining('nodes'),
      expect.stringContaining('start'),
      expect.stringContaining('intervalMs'),
      expect.stringContaining('cluster'),
      expect.stringContaining('rates.duplicates must be in 0..1'),
      expect.stringContaining('must not exceed 1'),
      expect.stringContaining('exceed nodes'),
    ]);
  });

  it('refuses out-of-order samples when the lateness cannot hold them', () => {
    expect(problemsOf(() => resolveGeneratorOptions({ allowedLatenessMs: 60_000 }))).toEqual([
      'rates.outOfOrder needs allowedLatenessMs of at least 2 × intervalMs',
    ]);
    expect(resolveGeneratorOptions({ allowedLatenessMs: 60_000, rates: { outOfOrder: 0 } }).allowedLatenessMs).toBe(60_000);
  });

  it('refuses more special nodes than the cluster has', () => {
    expect(problemsOf(() => resolveGeneratorOptions({ nodes: 3, removedNodes: 2, metadataUpdates: 2 }))).toEqual([
      expect.stringContaining('(2 + 2 + 0) exceed nodes (3)'),
    ]);
  });
});
