import type { Outcome } from '@meterline/stream';
import type { MetricFields } from './candidate';
import { validateMetadata, validateMetric } from './validate';

const good: MetricFields = {
  node_id: ' node-a ',
  metric: 'cpu_usage',
  value: '42.5',
  capacity: 4,
  unit: 'Percent',
  event_time: '2024-08-26T21:51:30Z',
  labels: { zone: 'us-east4-a', cores: 4 },
};

function rejection<T>(outcome: Outcome<T>) {
  if (outcome.kind !== 'poison') throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
  return { code: outcome.error.code, message: outcome.error.message, field: outcome.error.details['field'] };
}

describe('validateMetric', () => {
  it('normalises a valid sample into the raw record', () => {
    expect(validateMetric(good, 'http')).toEqual({
      kind: 'ok',
      values: [
        {
          node_id: 'node-a',
          metric: 'cpu_usage',
          value: 42.5,
          capacity: 4,
          unit: 'percent',
          event_time: Date.UTC(2024, 7, 26, 21, 51, 30),
          source: 'http',
          labels: { zone: 'us-east4-a', cores: '4' },
        },
      ],
    });
  });

  it('accepts a sample without capacity, unit or labels', () => {
    const outcome = validateMetric({ node_id: 'n', metric: 'cpu_usage', value: 1, event_time: 1724709090 }, 'replay');
    expect(outcome).toMatchObject({ kind: 'ok', values: [{ capacity: null, unit: '', labels: {} }] });
  });

  it.each([
    ['a missing node id', { node_id: undefined }, 'VALIDATION_MISSING_FIELD', 'node_id'],
    ['a blank node id', { node_id: '  ' }, 'VALIDATION_MISSING_FIELD', 'node_id'],
    ['a node id that is an object', { node_id: { id: 1 } }, 'VALIDATION_WRONG_TYPE', 'node_id'],
    ['a missing value', { value: '' }, 'VALIDATION_MISSING_FIELD', 'value'],
    ['a value that is not a number', { value: 'abc' }, 'VALIDATION_NOT_FINITE', 'value'],
    ['an infinite value', { value: Number.POSITIVE_INFINITY }, 'VALIDATION_NOT_FINITE', 'value'],
    ['a NaN value', { value: 'NaN' }, 'VALIDATION_NOT_FINITE', 'value'],
    ['negative usage', { value: -1 }, 'VALIDATION_NEGATIVE', 'value'],
    ['a negative capacity', { capacity: '-4' }, 'VALIDATION_NEGATIVE', 'capacity'],
    ['an unparseable time', { event_time: 'last tuesday' }, 'VALIDATION_BAD_TIMESTAMP', 'event_time'],
    ['a missing time', { event_time: undefined }, 'VALIDATION_MISSING_FIELD', 'event_time'],
    ['a metric name with spaces', { metric: 'cpu usage' }, 'VALIDATION_BAD_NAME', 'metric'],
    ['labels that are not an object', { labels: ['a'] }, 'VALIDATION_WRONG_TYPE', 'labels'],
    ['a nested label value', { labels: { a: { b: 1 } } }, 'VALIDATION_WRONG_TYPE', 'labels.a'],
  ])('rejects %s, naming the field', (_what, change, code, field) => {
    const result = rejection(validateMetric({ ...good, ...change }, 'http'));
    expect(result).toMatchObject({ code, field });
    expect(result.message.startsWith(`${field}: `)).toBe(true);
  });

  it('lets a unit-less gauge go negative (a temperature, a Prometheus delta)', () => {
    expect(validateMetric({ ...good, unit: '', value: -3.5 }, 'scrape').kind).toBe('ok');
  });
});

describe('validateMetadata', () => {
  it('stamps a snapshot without an update time with the ingest time', () => {
    const outcome = validateMetadata({ node_id: 'n1', instance_type: 'n1-standard-4', zone: 'us-east4-c' }, () => 1234);
    expect(outcome).toEqual({
      kind: 'ok',
      values: [
        {
          node_id: 'n1',
          value: { node_id: 'n1', instance_type: 'n1-standard-4', zone: 'us-east4-c', labels: {}, updated_at: 1234 },
        },
      ],
    });
  });

  it('turns deleted: true into a tombstone', () => {
    expect(validateMetadata({ node_id: 'n1', deleted: true })).toEqual({ kind: 'ok', values: [{ node_id: 'n1', value: null }] });
  });

  it('rejects metadata without a node id', () => {
    expect(rejection(validateMetadata({ zone: 'z' }))).toMatchObject({ code: 'VALIDATION_MISSING_FIELD', field: 'node_id' });
  });
});
