import { seriesText, valueText } from './series-text';

describe('seriesText', () => {
  it('writes the name outside the braces and the other labels in their order, escaped', () => {
    const labels = [
      { name: 'path', value: 'C:\\x' },
      { name: '__name__', value: 'files' },
      { name: 'note', value: 'say "hi"\nbye' },
    ];
    expect(seriesText(labels)).toBe('files{path="C:\\\\x",note="say \\"hi\\"\\nbye"}');
  });

  it('writes just the name when there are no other labels', () => {
    expect(seriesText([{ name: '__name__', value: 'up' }])).toBe('up');
  });
});

describe('valueText', () => {
  it('writes special values the way the exposition formats do', () => {
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25, 1e21];
    expect(values.map(valueText)).toEqual(['NaN', '+Inf', '-Inf', '0.25', '1e+21']);
  });
});
