import { metricNamesIn, variableQueryExprs, withGrafanaVariablesFilled } from './promql';

describe('metricNamesIn', () => {
  it('finds the metric of a rate over a Grafana interval, not the function, labels or variables', () => {
    const expr = 'sum by (service, topic) (rate(records_produced_total{service=~"$service"}[$__rate_interval]))';
    expect(metricNamesIn(expr)).toEqual(['records_produced_total']);
  });

  it('ignores numbers, durations, keywords and strings', () => {
    const expr = 'histogram_quantile(0.99, sum by (le) (rate(a_bucket[5m] offset 1h))) > 1e3 and on (job) up == bool 0';
    expect(metricNamesIn(expr)).toEqual(['a_bucket', 'up']);
    expect(metricNamesIn('label_replace(b, "dst", "$1", "src", "(.*)")')).toEqual(['b']);
  });

  it('finds every metric of a binary expression, recording-rule names with colons included', () => {
    expect(metricNamesIn('job:c:rate5m / ignoring (code) group_left d')).toEqual(['job:c:rate5m', 'd']);
  });
});

describe('variableQueryExprs', () => {
  it('takes the series selector out of label_values and the expression out of query_result', () => {
    expect(variableQueryExprs('label_values(up{job="x"}, instance)')).toEqual(['up{job="x"}']);
    expect(variableQueryExprs('query_result(topk(3, e))')).toEqual(['topk(3, e)']);
    expect(variableQueryExprs('label_values(job)')).toEqual([]);
  });
});

describe('withGrafanaVariablesFilled', () => {
  it('turns intervals into a duration and other variables into a regex that matches everything', () => {
    expect(withGrafanaVariablesFilled('rate(x{s=~"$service"}[$__rate_interval])')).toBe('rate(x{s=~".*"}[1m])');
  });
});
