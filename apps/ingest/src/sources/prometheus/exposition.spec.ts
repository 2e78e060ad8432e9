import { parseExposition } from './exposition';

const lines = (...text: string[]) => `${text.join('\n')}\n`;

describe('parseExposition', () => {
  it('reads a histogram and a summary as samples with their line numbers and labels', () => {
    const body = lines(
      '# HELP http_request_duration_seconds A histogram.',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1"} 2',
      'http_request_duration_seconds_bucket{le="+Inf"} 3',
      'http_request_duration_seconds_sum 0.25',
      'http_request_duration_seconds_count 3',
      '# TYPE rpc_seconds summary',
      'rpc_seconds{quantile="0.5"} NaN',
      'rpc_seconds_sum 0',
      'rpc_seconds_count 0',
    );
    const { samples, errors } = parseExposition(body, 'text');
    expect(errors).toEqual([]);
    expect(samples.map((s) => [s.line, s.name, s.labels.map((l) => `${l.name}=${l.value}`).join(','), s.value])).toEqual([
      [3, 'http_request_duration_seconds_bucket', 'le=0.1', 2],
      [4, 'http_request_duration_seconds_bucket', 'le=+Inf', 3],
      [5, 'http_request_duration_seconds_sum', '', 0.25],
      [6, 'http_request_duration_seconds_count', '', 3],
      [8, 'rpc_seconds', 'quantile=0.5', Number.NaN],
      [9, 'rpc_seconds_sum', '', 0],
      [10, 'rpc_seconds_count', '', 0],
    ]);
    expect(samples[0]?.text).toBe('http_request_duration_seconds_bucket{le="0.1"} 2');
  });

  it('records HELP (unescaped), TYPE and, in OpenMetrics, UNIT per family', () => {
    const body = lines(
      '# TYPE node_temp_celsius gauge',
      '# UNIT node_temp_celsius celsius',
      String.raw`# HELP node_temp_celsius Temperature \\ in °C\nper sensor.`,
      'node_temp_celsius{sensor="a"} -3.5',
      '# EOF',
    );
    const exposition = parseExposition(body, 'openmetrics');
    expect(exposition.errors).toEqual([]);
    expect(exposition.families.get('node_temp_celsius')).toEqual({
      type: 'gauge',
      unit: 'celsius',
      help: 'Temperature \\ in °C\nper sensor.',
    });
  });

  it('reports each malformed line with its number and reason, and keeps every other sample', () => {
    const body = lines('good_one 1', 'bad{ 1', '', 'good_two 2', 'bad_value x', '# TYPE t countr', 'good_three 3');
    const { samples, errors } = parseExposition(body, 'text');
    expect(samples.map((s) => s.name)).toEqual(['good_one', 'good_two', 'good_three']);
    expect(errors).toEqual([
      { line: 2, reason: 'expected a label name at column 6', text: 'bad{ 1' },
      { line: 5, reason: 'value "x" is not a number', text: 'bad_value x' },
      { line: 6, reason: 'unknown metric type "countr" for t', text: '# TYPE t countr' },
    ]);
  });

  it('treats other comments, UNIT and "# EOF" as plain comments in Prometheus text', () => {
    const body = lines('# just a note', '# UNIT x seconds', 'x 1', '# EOF', 'y 2');
    const { samples, errors, families } = parseExposition(body, 'text');
    expect(samples.map((s) => s.name)).toEqual(['x', 'y']);
    expect(errors).toEqual([]);
    expect(families.size).toBe(0);
  });

  it('refuses lines after "# EOF" and comments that OpenMetrics does not define', () => {
    const body = lines('# a note', 'x_total 1', '# EOF', 'y 2');
    expect(parseExposition(body, 'openmetrics').errors).toEqual([
      { line: 1, reason: 'not a HELP, TYPE, UNIT or EOF line', text: '# a note' },
      { line: 4, reason: 'after "# EOF" on line 3', text: 'y 2' },
    ]);
  });

  it('reports an OpenMetrics body without "# EOF" as possibly cut short, keeping its samples', () => {
    const { samples, errors } = parseExposition(lines('x_total 1', 'y_total 2'), 'openmetrics');
    expect(samples).toHaveLength(2);
    expect(errors).toEqual([{ line: 3, reason: 'no "# EOF": the exposition may have been cut short', text: '' }]);
  });

  it('accepts CRLF line ends and a last line without a newline', () => {
    const { samples, errors } = parseExposition('a 1\r\nb{x="y"} 2\r\n# EOF', 'openmetrics');
    expect(errors).toEqual([]);
    expect(samples.map((s) => [s.name, s.value, s.text])).toEqual([
      ['a', 1, 'a 1'],
      ['b', 2, 'b{x="y"} 2'],
    ]);
  });

  it('reads an empty body as no samples', () => {
    expect(parseExposition('', 'text')).toMatchObject({ samples: [], errors: [] });
  });
});
