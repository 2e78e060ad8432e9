import { LineSplitter, OVERLONG_PREFIX_LENGTH } from './line-splitter';

function split(chunks: string[], maxLength = 100): [string, boolean][] {
  const lines: [string, boolean][] = [];
  const splitter = new LineSplitter(maxLength);
  const emit = (text: string, tooLong: boolean) => lines.push([text, tooLong]);
  for (const chunk of chunks) splitter.push(chunk, emit);
  splitter.end(emit);
  return lines;
}

describe('LineSplitter', () => {
  it('joins a line cut across chunks', () => {
    expect(split(['ab', 'c\nd', 'e\n'])).toEqual([
      ['abc', false],
      ['de', false],
    ]);
  });

  it('emits the last line of a file without a final line break', () => {
    expect(split(['a\nb'])).toEqual([
      ['a', false],
      ['b', false],
    ]);
  });

  it('keeps empty lines and carriage returns for the format to judge', () => {
    expect(split(['a\r\n\r\n\nb'])).toEqual([
      ['a\r', false],
      ['\r', false],
      ['', false],
      ['b', false],
    ]);
  });

  it('cuts an overlong line to its first characters and skips the rest of it, however many chunks it spans', () => {
    const long = 'x'.repeat(2000);
    const lines = split(['ok\n', long.slice(0, 700), long.slice(700), '\nnext\n'], 1500);
    expect(lines).toEqual([
      ['ok', false],
      ['x'.repeat(OVERLONG_PREFIX_LENGTH), true],
      ['next', false],
    ]);
  });

  it('reports an overlong last line without a line break', () => {
    expect(split(['y'.repeat(300)], 200)).toEqual([['y'.repeat(300).slice(0, OVERLONG_PREFIX_LENGTH), true]]);
  });
});
