import { parseFloatToken, parseSampleLine } from './exposition-line';

describe('parseSampleLine', () => {
  it('reads a bare name and value', () => {
    expect(parseSampleLine('go_goroutines 7', 'text')).toEqual({
      ok: true,
      name: 'go_goroutines',
      labels: [],
      value: 7,
      timestampMs: undefined,
    });
  });

  it('reads labels in order, a trailing comma and blanks around the tokens', () => {
    expect(parseSampleLine('node_cpu_seconds_total{ cpu = "0" ,mode="idle",} 1.5e+06', 'text')).toEqual({
      ok: true,
      name: 'node_cpu_seconds_total',
      labels: [
        { name: 'cpu', value: '0' },
        { name: 'mode', value: 'idle' },
      ],
      value: 1_500_000,
      timestampMs: undefined,
    });
  });

  it('unescapes \\\\, \\" and \\n in label values and keeps "#", "{", "," and "=" inside them', () => {
    const line = String.raw`msg{path="C:\\dir",quote="say \"hi\"",multi="a\nb",odd="#1 {x=1, y}"} 1`;
    const parsed = parseSampleLine(line, 'text');
    expect(parsed.ok && parsed.labels).toEqual([
      { name: 'path', value: 'C:\\dir' },
      { name: 'quote', value: 'say "hi"' },
      { name: 'multi', value: 'a\nb' },
      { name: 'odd', value: '#1 {x=1, y}' },
    ]);
  });

  it('reads an empty label set and an empty label value', () => {
    const parsed = parseSampleLine('x{} 1', 'text');
    expect(parsed.ok && parsed.labels).toEqual([]);
    const empty = parseSampleLine('x{model=""} 1', 'text');
    expect(empty.ok && empty.labels).toEqual([{ name: 'model', value: '' }]);
  });

  it('reads an integer millisecond timestamp in Prometheus text', () => {
    const parsed = parseSampleLine('container_cpu_load_average_10s{id="c"} 2 1395066363000', 'text');
    expect(parsed.ok && parsed.timestampMs).toBe(1395066363000);
  });

  it('reads a float seconds timestamp in OpenMetrics, rounded to the millisecond', () => {
    const parsed = parseSampleLine('foo_total 17.0 1520879607.789', 'openmetrics');
    expect(parsed.ok && parsed.timestampMs).toBe(1520879607789);
    const integral = parseSampleLine('foo_total 17.0 1520879607', 'openmetrics');
    expect(integral.ok && integral.timestampMs).toBe(1520879607000);
  });

  it('refuses a fractional timestamp in Prometheus text, where it must be milliseconds', () => {
    expect(parseSampleLine('foo 1 1520879607.789', 'text')).toEqual({
      ok: false,
      reason: 'timestamp "1520879607.789" is not integer epoch milliseconds',
    });
  });

  it('reads NaN, +Inf and -Inf values', () => {
    const values = ['NaN', '+Inf', '-Inf', 'Inf'].map((v) => {
      const parsed = parseSampleLine(`x ${v}`, 'text');
      return parsed.ok ? parsed.value : undefined;
    });
    expect(values).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
  });

  it('ignores an OpenMetrics exemplar after the value and after a timestamp', () => {
    const bucket =
      'rpc_durations_histogram_seconds_bucket{le="-0.0002899999999999998"} 3 ' +
      '# {dummyID="17783"} -0.0003825067330956884 1.7268398142239082e+09';
    expect(parseSampleLine(bucket, 'openmetrics')).toEqual({
      ok: true,
      name: 'rpc_durations_histogram_seconds_bucket',
      labels: [{ name: 'le', value: '-0.0002899999999999998' }],
      value: 3,
      timestampMs: undefined,
    });
    const stamped = parseSampleLine('a_bucket{le="1"} 2 1520879607.5 # {id="x"} 0.5', 'openmetrics');
    expect(stamped.ok && [stamped.value, stamped.timestampMs]).toEqual([2, 1520879607500]);
  });

  it.each([
    ['a line without a name', '{a="b"} 1', 'text', 'does not start with a metric name'],
    ['a line without a value', 'foo', 'text', 'no value'],
    ['a value that is not a number', 'foo bar', 'text', 'value "bar" is not a number'],
    ['a hexadecimal value', 'foo 0x1A', 'text', 'value "0x1A" is not a number'],
    ['an unterminated label value', 'foo{a="b} 1', 'text', 'label a: unterminated quoted value'],
    ['an unknown escape', String.raw`foo{a="\t"} 1`, 'text', String.raw`label a: invalid escape "\\t"`],
    ['an unquoted label value', 'foo{a=b} 1', 'text', 'expected a quoted value for label a'],
    ['a label name starting with a digit', 'foo{1a="b"} 1', 'text', 'expected a label name at column 5'],
    ['a missing comma between labels', 'foo{a="1" b="2"} 1', 'text', 'expected "," or "}" after label a'],
    ['a duplicate label', 'foo{a="1",a="2"} 1', 'text', 'label a appears twice'],
    ['text after the timestamp', 'foo 1 2 3', 'text', 'unexpected "3" after the timestamp'],
    ['an exemplar in Prometheus text', 'foo 1 # {a="b"} 1', 'text', 'text after the sample ("#" starts an exemplar only in OpenMetrics)'],
    ['a NaN timestamp', 'foo 1 NaN', 'openmetrics', 'timestamp "NaN" is not epoch seconds'],
  ] as const)('refuses %s', (_what, line, format, reason) => {
    expect(parseSampleLine(line, format)).toEqual({ ok: false, reason });
  });
});

describe('parseFloatToken', () => {
  it('reads the number forms Go writes and refuses anything else', () => {
    expect(['1', '-0.5', '.5', '5.', '1e3', '8.388608e+06', '+3', 'infinity', 'nan'].map(parseFloatToken)).toEqual([
      1, -0.5, 0.5, 5, 1000, 8388608, 3, Number.POSITIVE_INFINITY, Number.NaN,
    ]);
    expect(['', '1,5', '1e', 'one', '0x10', '1_000'].map(parseFloatToken).filter((v) => v !== undefined)).toEqual([]);
  });
});
