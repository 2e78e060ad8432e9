import { detectFormat } from './detect-format';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it.each([
    ['Parquet by its PAR1 magic', text('PAR1\x15\x04'), 'parquet'],
    ['gzip by 1f 8b', bytes(0x1f, 0x8b, 0x08, 0x00), 'gzip'],
    ['NDJSON when the first character is {', text('{"a":1}\n'), 'ndjson'],
    ['NDJSON after blank lines and a byte-order mark', bytes(0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x20, 0x7b), 'ndjson'],
    ['CSV otherwise', text('timestamp,value\n'), 'csv'],
    ['CSV for a headerless file of numbers', text('2024-08-26 21:51:30,1\n'), 'csv'],
    ['CSV for a quoted header', text('"id","zone"\n'), 'csv'],
  ])('recognises %s', (_what, prefix, kind) => {
    expect(detectFormat(prefix, true)).toEqual({ kind });
  });

  it('names compressed containers it does not open', () => {
    expect(detectFormat(bytes(0x28, 0xb5, 0x2f, 0xfd, 0), false)).toEqual({ kind: 'unsupported', what: 'zstd' });
    expect(detectFormat(text('BZh91AY'), false)).toEqual({ kind: 'unsupported', what: 'bzip2' });
    expect(detectFormat(bytes(0x50, 0x4b, 0x03, 0x04), false)).toEqual({ kind: 'unsupported', what: 'zip' });
  });

  it('waits for more bytes while it has seen only blanks, and calls a blank file an empty CSV', () => {
    expect(detectFormat(text('\n\n  '), false)).toEqual({ kind: 'undecided' });
    expect(detectFormat(text('\n\n  '), true)).toEqual({ kind: 'csv' });
    expect(detectFormat(new Uint8Array(0), true)).toEqual({ kind: 'csv' });
  });
});
