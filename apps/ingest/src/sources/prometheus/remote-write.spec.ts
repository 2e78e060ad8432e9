import { isMeterlineError } from '@meterline/stream';
import { compress, uncompress } from 'snappyjs';
import { decodeRemoteWrite, type RequestHeaders } from './remote-write';
import type { PromSeries } from './series';
import { label, message, sample, timeSeries, toBytes } from './test-support/protobuf-writer';
import { capturedRemoteWrite, prometheusText } from './test-support/shared-data';

const { body, headers: capturedHeaders } = capturedRemoteWrite();
const headers: RequestHeaders = {
  'content-encoding': 'snappy',
  'content-type': 'application/x-protobuf',
  'x-prometheus-remote-write-version': '0.1.0',
};

function rejection(decode: () => unknown) {
  try {
    decode();
  } catch (err) {
    if (isMeterlineError(err)) return { kind: err.kind, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected the request to be refused');
}

const labelsOf = (series: PromSeries) => Object.fromEntries(series.labels.map((l) => [l.name, l.value]));

/**
 * The node-exporter scrape captured on the same machine, read with a regular expression rather than the exposition
 * parser, so the two decoders are checked against each other, not against themselves. (The file has no escapes.)
 */
function capturedScrape(): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of prometheusText('node_exporter-1.5.0-scrape.prom.txt').split('\n')) {
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m?.[1] || !m[3]) continue;
    // Prometheus drops empty-valued labels on ingestion, so they are not in the remote-write request either.
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].filter((l) => l[2] !== '').map((l) => `${l[1]}=${l[2]}`);
    series.set([m[1], ...labels.sort()].join(' '), Number(m[3]));
  }
  return series;
}
const seriesKey = (series: PromSeries) => {
  const { __name__: name, instance: _instance, job: _job, ...rest } = labelsOf(series);
  return [name, ...Object.entries(rest).map(([k, v]) => `${k}=${v}`).sort()].join(' ');
};

describe('decodeRemoteWrite on the request captured from Prometheus 2.42', () => {
  const request = decodeRemoteWrite(body, capturedHeaders);

  it('finds exactly the 500 series the body names, one sample each', () => {
    // Counted on the raw bytes: every series starts its labels with the Label {1: "__name__"} = 0a 08 "__name__".
    const raw = Buffer.from(uncompress(body));
    const nameLabels = raw.toString('latin1').split('\x0a\x08__name__').length - 1;
    expect(nameLabels).toBe(500);
    expect(request.timeseries).toHaveLength(500);
    expect(request.timeseries.every((s) => s.samples.length === 1)).toBe(true);
    expect(request.ignored).toEqual({ exemplars: 0, histograms: 0, metadata: 0 });
  });

  it('gives every series a __name__ and the target labels Prometheus attached', () => {
    for (const series of request.timeseries) {
      expect(labelsOf(series)).toMatchObject({ __name__: expect.stringMatching(/^[a-z_]+/), instance: '127.0.0.1:9109', job: 'node' });
    }
  });

  it('decodes series that are all in the node-exporter capture of the same machine (500 of its 507)', () => {
    const scrape = capturedScrape();
    expect(scrape.size).toBe(507);
    const missing = request.timeseries.map(seriesKey).filter((k) => !scrape.has(k));
    expect(missing).toEqual([]);
  });

  it('decodes the values that did not change between the two scrapes to the captured ones', () => {
    const scrape = capturedScrape();
    const value = (name: string) => request.timeseries.find((s) => labelsOf(s)['__name__'] === name)?.samples[0]?.value;
    expect(value('node_boot_time_seconds')).toBe(scrape.get('node_boot_time_seconds'));
    expect(value('node_memory_MemTotal_bytes')).toBe(scrape.get('node_memory_MemTotal_bytes'));
    expect(value('node_boot_time_seconds')).toBe(1.795258929e9);
    // Zeros are sent as Samples without a value field; they must come back as 0.
    expect(value('node_vmstat_pswpin')).toBe(0);
    expect(value('go_info')).toBe(1);
  });

  it('decodes one scrape timestamp, in milliseconds, within a second of the exporter clock it reported', () => {
    const timestamps = new Set(request.timeseries.map((s) => s.samples[0]?.timestampMs));
    expect([...timestamps]).toEqual([1795259432943]);
    const nodeTime = request.timeseries.find((s) => labelsOf(s)['__name__'] === 'node_time_seconds')?.samples[0]?.value ?? 0;
    expect(Math.abs(nodeTime * 1000 - 1795259432943)).toBeLessThan(1000);
  });

  it('keeps label values as sent, "#" included', () => {
    const uname = request.timeseries.find((s) => labelsOf(s)['__name__'] === 'node_uname_info');
    expect(uname && labelsOf(uname)['version']).toBe('#1 SMP PREEMPT_DYNAMIC @0');
  });
});

describe('decodeRemoteWrite refuses what it cannot read, with a reason for the operator', () => {
  const small = Buffer.from(compress(toBytes(message(timeSeries(label('__name__', 'up'), sample(1, 1_700_000_000_000))))));

  it('accepts header names in any case and a missing version header', () => {
    const request = decodeRemoteWrite(small, { 'Content-Encoding': 'snappy', 'Content-Type': 'application/x-protobuf' });
    expect(request.timeseries).toHaveLength(1);
    const named = { ...headers, 'content-type': 'application/x-protobuf; proto=prometheus.WriteRequest' };
    expect(decodeRemoteWrite(small, named).timeseries).toHaveLength(1);
  });

  it.each([
    [
      'no Content-Encoding',
      'REMOTE_WRITE_CONTENT_ENCODING',
      { ...headers, 'content-encoding': undefined },
      'Content-Encoding must be "snappy" (remote write 1.0), got nothing',
    ],
    [
      'gzip',
      'REMOTE_WRITE_CONTENT_ENCODING',
      { ...headers, 'content-encoding': 'gzip' },
      'Content-Encoding must be "snappy" (remote write 1.0), got "gzip"',
    ],
    [
      'a JSON Content-Type',
      'REMOTE_WRITE_CONTENT_TYPE',
      { ...headers, 'content-type': 'application/json' },
      'Content-Type must be "application/x-protobuf" (remote write 1.0), got "application/json"',
    ],
    [
      'remote write 2.0',
      'REMOTE_WRITE_CONTENT_TYPE',
      { ...headers, 'content-type': 'application/x-protobuf;proto=io.prometheus.write.v2.Request' },
      'Content-Type must be "application/x-protobuf" (remote write 1.0), got ' +
        '"application/x-protobuf;proto=io.prometheus.write.v2.Request"; ' +
        'remote write 2.0 is not supported, set protobuf_message: prometheus.WriteRequest',
    ],
    [
      'version 2.0.0',
      'REMOTE_WRITE_VERSION',
      { ...headers, 'x-prometheus-remote-write-version': '2.0.0' },
      'X-Prometheus-Remote-Write-Version "2.0.0" is not supported; this endpoint speaks remote write 0.1.x (1.0)',
    ],
  ])('refuses %s with %s', (_what, code, h, message) => {
    expect(rejection(() => decodeRemoteWrite(small, h))).toEqual({ kind: 'poison', code, message });
  });

  it('refuses an uncompressed protobuf body sent as snappy', () => {
    const plain = uncompress(body);
    expect(rejection(() => decodeRemoteWrite(plain, headers)).code).toBe('REMOTE_WRITE_BAD_SNAPPY');
  });

  it('refuses the snappy framed format, naming it', () => {
    const framed = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59, 0x01, 0x05, 0x00, 0x00]);
    expect(rejection(() => decodeRemoteWrite(framed, headers))).toEqual({
      kind: 'poison',
      code: 'REMOTE_WRITE_BAD_SNAPPY',
      message: 'body uses the snappy framed (stream) format; remote write sends the snappy block format',
    });
  });

  it('refuses the captured body cut short as bad snappy', () => {
    const cut = rejection(() => decodeRemoteWrite(body.subarray(0, 5000), headers));
    expect(cut.code).toBe('REMOTE_WRITE_BAD_SNAPPY');
    expect(cut.message).toMatch(/^body is not snappy block-compressed: /);
  });

  it('refuses a body announcing more than the limit before decompressing it', () => {
    expect(rejection(() => decodeRemoteWrite(body, headers, { maxDecodedBytes: 50_000 }))).toEqual({
      kind: 'poison',
      code: 'REMOTE_WRITE_TOO_LARGE',
      message: 'body decompresses to 56307 bytes, more than the limit of 50000; lower max_samples_per_send',
    });
  });

  it('refuses valid snappy around bytes that are not a WriteRequest as bad protobuf', () => {
    const notProtobuf = Buffer.from(compress(Buffer.from('{"timeseries": []}')));
    expect(rejection(() => decodeRemoteWrite(notProtobuf, headers)).code).toBe('REMOTE_WRITE_BAD_PROTOBUF');
  });
});
