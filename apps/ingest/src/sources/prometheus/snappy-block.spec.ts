import { compress } from 'snappyjs';
import { checkSnappyBlock, decompressSnappyBlock, snappyLength } from './snappy-block';
import { prometheusFile } from './test-support/shared-data';

const bytes = (...values: number[]) => Uint8Array.from(values);
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];
const text = (data: Uint8Array) => Buffer.from(data).toString('latin1');

describe('snappy block format', () => {
  it('reads the announced length from the preamble of the captured remote-write body', () => {
    // f3 b7 03 = 0x73 + 0x37·2^7 + 0x03·2^14 = 115 + 7040 + 49152
    expect(snappyLength(prometheusFile('remote-write/prometheus-2.42-rw1-request-1.snappy.pb'))).toEqual({ ok: true, length: 56307 });
  });

  it('accepts the captured body and what snappyjs itself compresses', () => {
    expect(checkSnappyBlock(prometheusFile('remote-write/prometheus-2.42-rw1-request-1.snappy.pb')).ok).toBe(true);
    const original = Buffer.from('node_cpu_seconds_total{cpu="0",mode="idle"} '.repeat(200));
    expect(checkSnappyBlock(compress(original))).toEqual({ ok: true, length: original.length });
  });

  it('decodes a literal followed by an overlapping 1-byte-offset copy', () => {
    // 11 bytes: literal "abcd" (tag (4-1)<<2), then copy length 7 from 4 back (tag (7-4)<<2 | 01, offset 4).
    const block = bytes(11, 0x0c, ...ascii('abcd'), 0x0d, 0x04);
    expect(checkSnappyBlock(block)).toEqual({ ok: true, length: 11 });
    expect(text(decompressSnappyBlock(block))).toBe('abcdabcdabc');
  });

  it('decodes 2- and 4-byte-offset copies and a literal whose length needs an extra byte', () => {
    const long = 'x'.repeat(100);
    // literal of 100: tag 60<<2 then length-1 = 99; copy2 of 4 from 2 back; copy4 of 2 from 100 back.
    const block = bytes(106, 0xf0, 99, ...ascii(long), 0x0e, 0x02, 0x00, 0x07, 0x64, 0x00, 0x00, 0x00);
    expect(checkSnappyBlock(block)).toEqual({ ok: true, length: 106 });
    expect(text(decompressSnappyBlock(block))).toBe(`${long}xxxxxx`);
  });

  it.each([
    ['an empty body', bytes(), 'empty body'],
    ['a preamble cut short', bytes(0x80), 'truncated length preamble'],
    ['a literal cut short', bytes(5, 0x10, ...ascii('hel')), 'literal of 5 bytes truncated at byte 1'],
    [
      'elements that end before the announced length (snappyjs would zero-pad)',
      bytes(10, 0x10, ...ascii('hello')),
      'data ends after 5 of the announced 10 bytes',
    ],
    [
      'elements that run past the announced length (snappyjs would cut)',
      bytes(3, 0x10, ...ascii('hello')),
      'data runs past the announced 3 bytes at byte 1',
    ],
    ['a copy without its offset byte', bytes(9, 0x10, ...ascii('hello'), 0x01), 'truncated copy at byte 7'],
    [
      'a copy from before the start',
      bytes(9, 0x10, ...ascii('hello'), 0x01, 0x06),
      'copy at byte 7 points 6 bytes back, but only 5 were produced',
    ],
    ['a copy with offset 0', bytes(9, 0x10, ...ascii('hello'), 0x01, 0x00), 'copy at byte 7 points 0 bytes back, but only 5 were produced'],
  ])('refuses %s', (_what, block, reason) => {
    expect(checkSnappyBlock(block)).toEqual({ ok: false, reason });
  });
});
