import { isMeterlineError } from '@meterline/stream';
import { BAD_QUANTITY, parseQuantity } from './quantity';

function errorOf(text: string) {
  try {
    parseQuantity(text);
  } catch (err) {
    if (isMeterlineError(err)) return { kind: err.kind, code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseQuantity', () => {
  // Expected values worked out by hand: milli = 1e-3, nano = 1e-9, Ki = 1024, Mi = 1024², Gi = 1024³, ...
  it.each([
    ['250m', 0.25],
    ['1500n', 0.0000015],
    ['100u', 0.0001],
    ['2', 2],
    ['1.5', 1.5],
    ['0.5', 0.5],
    ['3920m', 3.92],
    ['152837612n', 0.152837612],
    ['.5', 0.5],
    ['5.', 5],
    ['+1', 1],
  ])('reads the CPU quantity %s as %s cores', (text, cores) => {
    expect(parseQuantity(text)).toBe(cores);
  });

  it.each([
    ['512Mi', 536_870_912],
    ['1Gi', 1_073_741_824],
    ['1000Ki', 1_024_000],
    ['129M', 129_000_000],
    ['1e3', 1000],
    ['128974848', 128_974_848],
    ['1.5Gi', 1_610_612_736],
    ['1383416Ki', 1_416_617_984],
    ['16393012Ki', 16_786_444_288],
    ['1Ti', 1_099_511_627_776],
    ['1Pi', 1_125_899_906_842_624],
    ['1Ei', 1_152_921_504_606_846_976],
    ['0.5Ki', 512],
    ['1k', 1000],
    ['1G', 1_000_000_000],
    ['2T', 2_000_000_000_000],
    ['1P', 1_000_000_000_000_000],
    ['3E', 3_000_000_000_000_000_000],
    ['12E6', 12_000_000],
    ['1e-3', 0.001],
    ['1.5e+2', 150],
  ])('reads the memory quantity %s as %s bytes', (text, bytes) => {
    expect(parseQuantity(text)).toBe(bytes);
  });

  it('keeps the sign, leaving negative usage for validation to reject', () => {
    expect(parseQuantity('-250m')).toBe(-0.25);
  });

  it.each([
    ['an empty string', ''],
    ['a word', 'abc'],
    ['a suffix without a number', 'Mi'],
    ['a space before the suffix', '1 Gi'],
    ['a leading space', ' 1'],
    ['an upper-case K (kilo is k)', '1K'],
    ['a lower-case binary suffix', '1gi'],
    ['an upper-case binary suffix', '1KI'],
    ['two decimal points', '1.5.5'],
    ['a lone point', '.'],
    ['an exponent without digits', '1e'],
    ['an exponent and a suffix together', '1e3Mi'],
    ['a fractional exponent', '1e1.5'],
    ['trailing characters', '1Gi3'],
    ['a hexadecimal number', '0x10'],
    ['Infinity', 'Infinity'],
    ['NaN', 'NaN'],
    ['two signs', '--1'],
  ])('rejects %s with a poison VALIDATION_BAD_QUANTITY error quoting the input', (_what, text) => {
    const err = errorOf(text);
    expect(err).toMatchObject({ kind: 'poison', code: BAD_QUANTITY });
    expect(err.message).toContain(`not a Kubernetes quantity: ${JSON.stringify(text)}`);
    expect(err.message).toContain('Ki Mi Gi');
  });

  it('rejects a quantity too large for a number as out of range', () => {
    expect(errorOf('1e400')).toMatchObject({ code: BAD_QUANTITY, message: 'Kubernetes quantity "1e400" is out of range' });
  });
});
