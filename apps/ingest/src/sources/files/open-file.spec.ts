import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openFile, type OpenOptions } from './open-file';
import { readFile } from './read-file';
import type { SourceRow } from './source-row';
import { tempDirForTests } from './test-support/temp-dir';

const tmp = tempDirForTests('open-file');

function write(name: string, content: string | Buffer): string {
  const file = join(tmp(), name);
  writeFileSync(file, content);
  return file;
}

async function rowsOf(file: string, options: OpenOptions = {}): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of readFile(file, options)) rows.push(row);
  return rows;
}

describe('openFile on CSV', () => {
  it('reads rows by header name with their line numbers and original text', async () => {
    const file = write('plain.csv', 'timestamp,value\n2014-02-14 14:30:00,0.132\n2014-02-14 14:35:00,0.134\n');
    expect(await rowsOf(file)).toEqual([
      { values: { timestamp: '2014-02-14 14:30:00', value: '0.132' }, position: { file, line: '2' }, original: '2014-02-14 14:30:00,0.132' },
      { values: { timestamp: '2014-02-14 14:35:00', value: '0.134' }, position: { file, line: '3' }, original: '2014-02-14 14:35:00,0.134' },
    ]);
  });

  it('reads CRLF line ends, blank lines and a last line without a line break', async () => {
    const file = write('crlf.csv', 'a,b\r\n\r\n1,2\r\n\r\n3,4');
    const rows = await rowsOf(file);
    expect(rows.map((r) => [r.position, r.values])).toEqual([
      [{ file, line: '3' }, { a: '1', b: '2' }],
      [{ file, line: '5' }, { a: '3', b: '4' }],
    ]);
  });

  it('turns a row with too few or too many columns into a row with a problem and reads on', async () => {
    const file = write('short.csv', 'pool,ts,cpu\ncluster1,2024-08-26 21:51:30\ncluster1,2024-08-26 21:52:00,1,extra\ncluster1,2024-08-26 21:52:30,2\n');
    const rows = await rowsOf(file);
    expect(rows).toEqual([
      {
        values: {},
        position: { file, line: '2' },
        original: 'cluster1,2024-08-26 21:51:30',
        problem: { code: 'VALIDATION_COLUMN_COUNT', message: 'expected 3 columns (pool, ts, cpu), got 2' },
      },
      {
        values: {},
        position: { file, line: '3' },
        original: 'cluster1,2024-08-26 21:52:00,1,extra',
        problem: { code: 'VALIDATION_COLUMN_COUNT', message: 'expected 3 columns (pool, ts, cpu), got 4' },
      },
      { values: { pool: 'cluster1', ts: '2024-08-26 21:52:30', cpu: '2' }, position: { file, line: '4' }, original: 'cluster1,2024-08-26 21:52:30,2' },
    ]);
  });

  it('names headerless columns as told, or by position when not told', async () => {
    const file = write('headerless.csv', 'cluster1,2024-08-26 21:52:00,,53.1,60.7\n');
    const named = await rowsOf(file, { csv: { header: false, columns: ['pool', 'ts', 'ts_end', 'cpu', 'mem'] } });
    expect(named[0]?.values).toEqual({ pool: 'cluster1', ts: '2024-08-26 21:52:00', ts_end: '', cpu: '53.1', mem: '60.7' });
    const numbered = await rowsOf(file, { csv: { header: false } });
    expect(numbered[0]?.values).toEqual({ 0: 'cluster1', 1: '2024-08-26 21:52:00', 2: '', 3: '53.1', 4: '60.7' });
    expect(numbered[0]?.position).toEqual({ file, line: '1' });
  });

  it('replaces a header with the names it is given', async () => {
    const file = write('renamed.csv', 'Time Stamp,CPU %\n2024-01-01,5\n');
    expect((await rowsOf(file, { csv: { columns: ['ts', 'cpu'] } }))[0]?.values).toEqual({ ts: '2024-01-01', cpu: '5' });
  });

  it('trims header names, names empty ones by position and numbers repeated ones', async () => {
    const file = write('header.csv', ' id ,,id,zone\n1,2,3,4\n');
    const opened = await openFile(file);
    const rows: SourceRow[] = [];
    for await (const row of opened.rows()) rows.push(row);
    expect(opened.columns()).toEqual(['id', '1', 'id.1', 'zone']);
    expect(rows[0]?.values).toEqual({ id: '1', 1: '2', 'id.1': '3', zone: '4' });
  });

  it('reads semicolon- and tab-separated files', async () => {
    const semi = write('semi.csv', 'a;b\n"1;5";2,5\n');
    expect((await rowsOf(semi, { csv: { delimiter: ';' } }))[0]?.values).toEqual({ a: '1;5', b: '2,5' });
    const tsv = write('t.tsv', 'a\tb\nx\ty\n');
    expect((await rowsOf(tsv, { csv: { delimiter: '\t' } }))[0]?.values).toEqual({ a: 'x', b: 'y' });
  });

  it('drops a byte-order mark so that the first column keeps its name', async () => {
    const file = write('bom.csv', '\ufeffid,zone\nn1,a\n');
    expect((await rowsOf(file))[0]?.values).toEqual({ id: 'n1', zone: 'a' });
  });

  it('decodes multi-byte characters that straddle read chunks', async () => {
    // 256 KiB reads: 60,000 lines of "zürich-ü,1" (13 bytes each) put many chunk boundaries inside a character.
    const line = 'zürich-ü,1';
    const file = write('utf8.csv', `name,n\n${`${line}\n`.repeat(60_000)}`);
    const rows = await rowsOf(file);
    expect(rows).toHaveLength(60_000);
    expect(rows.every((r) => r.values['name'] === 'zürich-ü')).toBe(true);
  });

  it('reports an unreadable header as a fatal problem of the file', async () => {
    const file = write('badheader.csv', '"id,zone\n');
    await expect(rowsOf(file)).rejects.toMatchObject({ kind: 'fatal', code: 'REPLAY_BAD_HEADER' });
  });

  it('reads an empty file as no rows', async () => {
    expect(await rowsOf(write('empty.csv', ''))).toEqual([]);
    expect(await rowsOf(write('header-only.csv', 'a,b\n'))).toEqual([]);
  });
});

describe('openFile on NDJSON', () => {
  it('reads one object per line, keeping JSON types, and skips blank lines', async () => {
    const file = write('m.ndjson', '{"node_id":"n1","value":1.5,"labels":{"a":"b"}}\n\n{"node_id":"n2","value":null}\n');
    const opened = await openFile(file);
    expect(opened.format).toBe('ndjson');
    const rows: SourceRow[] = [];
    for await (const row of opened.rows()) rows.push(row);
    expect(rows).toEqual([
      { values: { node_id: 'n1', value: 1.5, labels: { a: 'b' } }, position: { file, line: '1' }, original: '{"node_id":"n1","value":1.5,"labels":{"a":"b"}}' },
      { values: { node_id: 'n2', value: null }, position: { file, line: '3' }, original: '{"node_id":"n2","value":null}' },
    ]);
  });

  it('turns a line that is not JSON, or not an object, into a row with a problem', async () => {
    const file = write('bad.ndjson', '{"a":1}\n{"a":\n[1,2]\n"text"\n');
    const rows = await rowsOf(file);
    expect(rows.map((r) => [r.position, r.problem?.code])).toEqual([
      [{ file, line: '1' }, undefined],
      [{ file, line: '2' }, 'VALIDATION_BAD_JSON'],
      [{ file, line: '3' }, 'VALIDATION_WRONG_TYPE'],
      [{ file, line: '4' }, 'VALIDATION_WRONG_TYPE'],
    ]);
    expect(rows[1]?.original).toBe('{"a":');
  });
});

describe('openFile on gzip', () => {
  it('detects gzip by its bytes and reads the CSV inside, whatever the name', async () => {
    const file = write('series.txt', gzipSync('timestamp,value\n2014-02-14 14:30:00,0.132\n'));
    const opened = await openFile(file);
    expect(opened).toMatchObject({ format: 'csv', gzip: true });
    const rows: SourceRow[] = [];
    for await (const row of opened.rows()) rows.push(row);
    expect(rows).toEqual([{ values: { timestamp: '2014-02-14 14:30:00', value: '0.132' }, position: { file, line: '2' }, original: '2014-02-14 14:30:00,0.132' }]);
    expect(opened.progress()).toEqual({ unit: 'bytes', done: opened.progress().total, total: gzipSync('timestamp,value\n2014-02-14 14:30:00,0.132\n').length });
  });

  it('detects NDJSON inside gzip', async () => {
    const file = write('metrics.csv.gz', gzipSync('\n{"node_id":"n1"}\n{"node_id":"n2"}\n'));
    const opened = await openFile(file);
    expect(opened).toMatchObject({ format: 'ndjson', gzip: true });
    expect((await rowsOf(file)).map((r) => r.values)).toEqual([{ node_id: 'n1' }, { node_id: 'n2' }]);
  });

  it('reads gzip inside gzip, and concatenated gzip members as one stream', async () => {
    const twice = write('twice.gz.gz', gzipSync(gzipSync('a\n1\n')));
    expect((await rowsOf(twice)).map((r) => r.values)).toEqual([{ a: '1' }]);
    const members = write('members.gz', Buffer.concat([gzipSync('a\n1\n'), gzipSync('2\n3\n')]));
    expect((await rowsOf(members)).map((r) => r.values)).toEqual([{ a: '1' }, { a: '2' }, { a: '3' }]);
  });

  it('hands on the rows before a truncated end, then fails the file as corrupt', async () => {
    const full = gzipSync(`v\n${'1\n'.repeat(100_000)}`);
    const file = write('truncated.gz', full.subarray(0, full.length - 20));
    let seen = 0;
    const read = async () => {
      for await (const batch of (await openFile(file)).batches()) seen += batch.length;
    };
    await expect(read()).rejects.toMatchObject({ kind: 'fatal', code: 'REPLAY_FILE_CORRUPT', message: expect.stringContaining(file) });
    expect(seen).toBeGreaterThan(50_000);
  });

  it('refuses gzip-compressed Parquet, which cannot be read as a stream', async () => {
    const file = write('table.parquet.gz', gzipSync(Buffer.from('PAR1 pretend parquet PAR1')));
    await expect(openFile(file)).rejects.toMatchObject({ code: 'REPLAY_UNSUPPORTED_FORMAT', message: expect.stringContaining('gunzip it first') });
  });
});

describe('openFile', () => {
  it('names formats it does not read instead of reading them as CSV', async () => {
    const file = write('x.zst', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]));
    await expect(openFile(file)).rejects.toMatchObject({ code: 'REPLAY_UNSUPPORTED_FORMAT', message: `${file}: zstd files are not supported (Parquet, CSV or NDJSON, plain or gzip)` });
  });

  it('reports a missing file as unreadable', async () => {
    const file = join(tmp(), 'nope.csv');
    await expect(openFile(file)).rejects.toMatchObject({ code: 'REPLAY_FILE_UNREADABLE', message: expect.stringContaining(file) });
  });

  it('reads the rows once: a second pass is an error, not a silent empty one', async () => {
    const opened = await openFile(write('once.csv', 'a\n1\n'));
    for await (const batch of opened.batches()) expect(batch).toHaveLength(1);
    expect(() => opened.batches()).toThrow(expect.objectContaining({ code: 'REPLAY_READ_TWICE' }));
    await expect(opened.rows()[Symbol.asyncIterator]().next()).rejects.toMatchObject({ code: 'REPLAY_READ_TWICE' });
  });

  it('reports progress in bytes read from disk for text files', async () => {
    const content = `a\n${'1\n'.repeat(1000)}`;
    const opened = await openFile(write('progress.csv', content));
    expect(opened.progress()).toEqual({ unit: 'bytes', done: 0, total: content.length });
    for await (const _ of opened.batches()) void _;
    expect(opened.progress()).toEqual({ unit: 'bytes', done: content.length, total: content.length });
  });
});
