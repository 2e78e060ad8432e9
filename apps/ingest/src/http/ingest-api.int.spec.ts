import { readRawMessages, readRecords } from '@meterline/kafka';
import { ingestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { ingestRoutes } from './ingest-routes';

let h: IngestHarness;

const sample = (node: string, value: unknown, extra: object = {}) => ({
  node_id: node,
  metric: 'cpu_usage',
  value,
  capacity: 4,
  unit: 'cores',
  event_time: '2024-08-26T21:51:30Z',
  ...extra,
});

const post = (path: string, body: string, contentType = 'application/json') =>
  fetch(`${h.server?.url}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } });

beforeAll(async () => {
  h = await ingestHarness('ingest-api');
  await h.serve((app, harness) =>
    ingestRoutes(() => harness.ingestor, { maxBodyBytes: 64 * 1024, maxRecords: 200, retryAfterSeconds: 7, logger: harness.logger })(app),
  );
});

afterAll(() => h.close());

describe('POST /v1/metrics and /v1/metadata', () => {
  it('accepts the valid records of a request, reports each invalid one by index, and dead-letters it', async () => {
    const body = [
      sample('node-a', 1.5),
      sample('node-b', 'abc'),
      sample('node-c', '2'),
      { ...sample('x', 3), node_id: undefined },
      sample('node-e', 0, { labels: { pool: 'p1' }, event_time: 1724709090 }),
    ];
    const response = await post('/v1/metrics', JSON.stringify(body));
    expect(response.status).toBe(207);
    const answer = (await response.json()) as { requestId: string; accepted: number; rejected: { index: number; code: string }[] };
    expect(answer.accepted).toBe(3);
    expect(answer.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'VALIDATION_NOT_FINITE'],
      [3, 'VALIDATION_MISSING_FIELD'],
    ]);

    const t = Date.UTC(2024, 7, 26, 21, 51, 30);
    const records = await readRecords(h.kafka, h.reader, h.topics.metrics, 3);
    records.sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(records.map((r) => ({ key: r.key, ...r.value }))).toEqual([
      { key: 'node-a', node_id: 'node-a', metric: 'cpu_usage', value: 1.5, capacity: 4, unit: 'cores', event_time: t, source: 'http', labels: {} },
      { key: 'node-c', node_id: 'node-c', metric: 'cpu_usage', value: 2, capacity: 4, unit: 'cores', event_time: t, source: 'http', labels: {} },
      { key: 'node-e', node_id: 'node-e', metric: 'cpu_usage', value: 0, capacity: 4, unit: 'cores', event_time: t, source: 'http', labels: { pool: 'p1' } },
    ]);

    const letters = await readRawMessages(h.kafka, h.topics.metrics.dlq, 2);
    letters.sort((a, b) => Number(a.headers['source.index']) - Number(b.headers['source.index']));
    expect(letters.map((l) => [l.headers['error.code'], l.headers['source.request'], l.headers['source.index']])).toEqual([
      ['VALIDATION_NOT_FINITE', answer.requestId, '1'],
      ['VALIDATION_MISSING_FIELD', answer.requestId, '3'],
    ]);
    expect(JSON.parse(String(letters[0]?.value))).toEqual(body[1]);
  });

  it('reads NDJSON, where a line that is not JSON is one rejected record', async () => {
    const lines = [JSON.stringify(sample('nd-1', 1)), '{"node_id": "nd-2", oops', JSON.stringify(sample('nd-3', 3))];
    const response = await post('/v1/metrics', lines.join('\n'), 'application/x-ndjson');
    expect(response.status).toBe(207);
    expect(await response.json()).toMatchObject({ accepted: 2, rejected: [{ index: 1, code: 'VALIDATION_BAD_JSON' }] });
  });

  it('answers 422 when no record of the request is valid', async () => {
    const response = await post('/v1/metrics', JSON.stringify([sample('z', -1), sample('z', 'NaN')]));
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ accepted: 0, rejected: [{ index: 0 }, { index: 1 }] });
  });

  it('names the limit a request exceeds', async () => {
    const tooBig = await post('/v1/metrics', JSON.stringify([sample('big', 1, { labels: { pad: 'x'.repeat(70_000) } })]));
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: string }).error).toContain('INGEST_HTTP_MAX_BODY_BYTES');

    const tooMany = await post('/v1/metrics', JSON.stringify(Array.from({ length: 201 }, (_, i) => sample(`n${i}`, 1))));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: string }).error).toContain('INGEST_HTTP_MAX_RECORDS');
  });

  it('refuses a body that is neither JSON nor NDJSON', async () => {
    expect((await post('/v1/metrics', 'a,b,c', 'text/csv')).status).toBe(415);
    expect((await post('/v1/metrics', '[{"broken"', 'application/json')).status).toBe(400);
  });

  it('writes metadata, and a tombstone for a removed node', async () => {
    const response = await post(
      '/v1/metadata',
      JSON.stringify([
        { node_id: 'm-1', instance_type: 'n2-standard-8', zone: 'us-east4-a', updated_at: '2024-08-26T00:00:00Z' },
        { node_id: 'm-2', deleted: true },
      ]),
    );
    expect(response.status).toBe(200);
    const records = await readRecords(h.kafka, h.reader, h.topics.metadata, 2);
    // Different keys land on different partitions: compare in key order.
    records.sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(records.map((r) => [r.key, r.value && { ...r.value }])).toEqual([
      ['m-1', { node_id: 'm-1', instance_type: 'n2-standard-8', zone: 'us-east4-a', labels: {}, updated_at: Date.UTC(2024, 7, 26) }],
      ['m-2', null],
    ]);
  });

  it('batches many concurrent requests into few transactions', async () => {
    const before = h.batcher.stats;
    const responses = await Promise.all(
      Array.from({ length: 40 }, (_, r) =>
        post('/v1/metrics', JSON.stringify(Array.from({ length: 100 }, (_, i) => sample(`c-${r}`, i)))),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(h.batcher.stats.messages - before.messages).toBe(4_000);
    expect(h.batcher.stats.transactions - before.transactions).toBeLessThan(40);
  });

  it('answers 503 with Retry-After while it cannot write to Kafka', async () => {
    const ready = h.ingestor;
    h.ingestor = undefined;
    try {
      const response = await post('/v1/metrics', JSON.stringify([sample('s', 1)]));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('7');
    } finally {
      h.ingestor = ready;
    }
  });
});
