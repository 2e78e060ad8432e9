import { isMeterlineError } from '@meterline/stream';
import {
  bitsField,
  bytesField,
  doubleField,
  fixed32Field,
  key,
  label,
  message,
  sample,
  stringField,
  timeSeries,
  toBytes,
  varintField,
} from './test-support/protobuf-writer';
import { decodeWriteRequest } from './write-request';

const T = 1_700_000_000_000;

function poison(decode: () => unknown) {
  try {
    decode();
  } catch (err) {
    if (isMeterlineError(err)) return { kind: err.kind, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a poison error');
}

describe('decodeWriteRequest', () => {
  it('decodes series with their labels in order and their samples', () => {
    const body = message(
      timeSeries(label('__name__', 'node_load1'), label('instance', 'n1:9100'), sample(0.5, T), sample(0.75, T + 15_000)),
      timeSeries(label('__name__', 'up'), sample(1, T)),
    );
    expect(decodeWriteRequest(toBytes(body))).toEqual({
      timeseries: [
        {
          labels: [
            { name: '__name__', value: 'node_load1' },
            { name: 'instance', value: 'n1:9100' },
          ],
          samples: [
            { value: 0.5, timestampMs: T, stale: false },
            { value: 0.75, timestampMs: T + 15_000, stale: false },
          ],
        },
        { labels: [{ name: '__name__', value: 'up' }], samples: [{ value: 1, timestampMs: T, stale: false }] },
      ],
      ignored: { exemplars: 0, histograms: 0, metadata: 0 },
    });
  });

  it('reads fields proto3 left out as their defaults: value 0, timestamp 0, empty label value', () => {
    // How Prometheus really sends a zero: the Sample holds only its timestamp.
    const body = timeSeries(bytesField(1, stringField(1, 'node_vmstat_pswpin')), bytesField(2, varintField(2, T)), bytesField(2, []));
    const [series] = decodeWriteRequest(toBytes(body)).timeseries;
    expect(series?.labels).toEqual([{ name: 'node_vmstat_pswpin', value: '' }]);
    expect(series?.samples).toEqual([
      { value: 0, timestampMs: T, stale: false },
      { value: 0, timestampMs: 0, stale: false },
    ]);
  });

  it('marks the staleness NaN 0x7ff0000000000002 as stale and an ordinary NaN as a value', () => {
    const body = timeSeries(
      label('__name__', 'up'),
      bytesField(2, message(bitsField(1, 0x7ff0000000000002n), varintField(2, T))),
      bytesField(2, message(bitsField(1, 0x7ff8000000000001n), varintField(2, T + 1))),
    );
    const samples = decodeWriteRequest(toBytes(body)).timeseries[0]?.samples ?? [];
    expect(samples.map((s) => s.stale)).toEqual([true, false]);
    expect(samples.map((s) => s.value)).toEqual([Number.NaN, Number.NaN]);
  });

  it('keeps negative and infinite values and a negative timestamp as sent', () => {
    const body = timeSeries(label('__name__', 'x'), sample(-2.5, -1000), sample(Number.POSITIVE_INFINITY, T));
    expect(decodeWriteRequest(toBytes(body)).timeseries[0]?.samples).toEqual([
      { value: -2.5, timestampMs: -1000, stale: false },
      { value: Number.POSITIVE_INFINITY, timestampMs: T, stale: false },
    ]);
  });

  it('skips and counts exemplars, native histograms and metadata, and skips fields it has never heard of', () => {
    const exemplar = bytesField(3, message(label('trace_id', 'abc'), doubleField(2, 1), varintField(3, T)));
    const histogram = bytesField(4, message(varintField(1, 3), doubleField(3, 0.5), fixed32Field(9, 7)));
    const metadata = bytesField(3, message(varintField(1, 1), stringField(2, 'up'), stringField(4, 'help')));
    const body = message(
      metadata,
      timeSeries(label('__name__', 'h'), exemplar, histogram, sample(2, T), exemplar, varintField(15, 99)),
      fixed32Field(20, 1),
      [...key(21, 3), ...varintField(1, 1), ...key(21, 4)], // a proto2 group
      bytesField(2, [0xde, 0xad]), // the reserved field 2
      timeSeries(label('__name__', 'g'), sample(3, T)),
    );
    const request = decodeWriteRequest(toBytes(body));
    expect(request.timeseries.map((s) => s.samples)).toEqual([
      [{ value: 2, timestampMs: T, stale: false }],
      [{ value: 3, timestampMs: T, stale: false }],
    ]);
    expect(request.ignored).toEqual({ exemplars: 2, histograms: 1, metadata: 1 });
  });

  it('decodes an empty body as a request without series', () => {
    expect(decodeWriteRequest(new Uint8Array()).timeseries).toEqual([]);
  });

  it('rejects a cut-short body as poison, with the byte offset', () => {
    const body = toBytes(timeSeries(label('__name__', 'up'), sample(1, T)));
    expect(poison(() => decodeWriteRequest(body.subarray(0, body.length - 3)))).toEqual({
      kind: 'poison',
      code: 'REMOTE_WRITE_BAD_PROTOBUF',
      message: 'body is not a valid prometheus.WriteRequest (remote write 1.0): field needs 34 bytes but only 31 remain at byte 1',
    });
  });

  it('rejects a known field sent with the wrong wire type', () => {
    const body = timeSeries(label('__name__', 'up'), bytesField(2, message(varintField(1, 5))));
    expect(poison(() => decodeWriteRequest(toBytes(body))).message).toMatch(/Sample\.value \(field 1\) has wire type 0, expected 1/);
  });

  it('rejects text that is not protobuf at all', () => {
    const json = toBytes([...Buffer.from('{"timeseries":[]}')]);
    expect(poison(() => decodeWriteRequest(json)).code).toBe('REMOTE_WRITE_BAD_PROTOBUF');
  });

  it('rejects zero padding, which a truncated decompression would leave', () => {
    const body = toBytes([...timeSeries(label('__name__', 'up'), sample(1, T)), 0, 0, 0]);
    expect(poison(() => decodeWriteRequest(body)).message).toMatch(/field number 0 at byte \d+$/);
  });
});
