import { CsvRecordParser, type CsvSink } from './csv-records';
import type { RowProblemCode } from './source-row';

type CsvEvent =
  | { kind: 'record'; fields: string[]; line: number; original: string }
  | { kind: 'problem'; code: RowProblemCode; message: string; line: number; original: string };

/** Collects what the parser reports, in order. */
function collector(): CsvSink & { events: CsvEvent[] } {
  const events: CsvEvent[] = [];
  return {
    events,
    record: (fields, line, original) => events.push({ kind: 'record', fields, line, original }),
    problem: (code, message, line, original) => events.push({ kind: 'problem', code, message, line, original }),
  };
}

/** Feeds text as lines (split on \n, as the line splitter does) and returns what the parser made of them. */
function parse(text: string, delimiter = ',', maxLength = 1000): CsvEvent[] {
  const parser = new CsvRecordParser(delimiter, maxLength);
  const out = collector();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => parser.line(line, i + 1, false, out));
  parser.end(out);
  return out.events;
}

const fields = (events: CsvEvent[]) => events.map((e) => (e.kind === 'record' ? e.fields : e.code));

describe('CsvRecordParser', () => {
  it('splits plain records on the delimiter, keeping empty fields', () => {
    expect(fields(parse('a,b,c\n1,,3\n,,\n'))).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
      ['', '', ''],
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and empty quotes', () => {
    expect(fields(parse('"a,b","say ""hi""","",x\n'))).toEqual([['a,b', 'say "hi"', '', 'x']]);
  });

  it('ends records at CRLF without keeping the CR', () => {
    const events = parse('a,b\r\n"c",d\r\n');
    expect(fields(events)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(events.map((e) => e.original)).toEqual(['a,b', '"c",d']);
  });

  it('keeps a line break inside quotes as written, and numbers the record by its first line', () => {
    const events = parse('id,note\n1,"two\r\nlines"\r\n2,"three\nlines\nhere"\n3,x\n');
    expect(fields(events)).toEqual([
      ['id', 'note'],
      ['1', 'two\r\nlines'],
      ['2', 'three\nlines\nhere'],
      ['3', 'x'],
    ]);
    expect(events.map((e) => e.line)).toEqual([1, 2, 4, 7]);
    expect(events[2]?.original).toBe('2,"three\nlines\nhere"');
  });

  it('skips blank lines between records but not blank lines inside quotes', () => {
    expect(fields(parse('a\n\n\nb,"x\n\ny"\n\n'))).toEqual([['a'], ['b', 'x\n\ny']]);
  });

  it('treats a quote inside an unquoted field, and text after a closing quote, as plain characters', () => {
    expect(fields(parse('5" disk,"quoted"tail,x\n'))).toEqual([['5" disk', 'quotedtail', 'x']]);
  });

  it('honours another delimiter, and commas are then plain characters', () => {
    expect(fields(parse('a;"b;c";d,e\n', ';'))).toEqual([['a', 'b;c', 'd,e']]);
    expect(fields(parse('a\t"b\tc"\n', '\t'))).toEqual([['a', 'b\tc']]);
  });

  it('reports a quote still open at the end of the file at the line where its record began', () => {
    const events = parse('a,b\n1,"never closed\n2,3\n');
    expect(events[1]).toEqual({
      kind: 'problem',
      code: 'VALIDATION_BAD_CSV',
      message: 'the file ends inside a quoted field',
      line: 2,
      original: '1,"never closed\n2,3',
    });
  });

  it('gives up on a quoted record longer than the limit and reads on from the next line', () => {
    const events = parse(`1,"open\n${'z'.repeat(60)}\n${'z'.repeat(60)}\n2,ok\n`, ',', 100);
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ['problem', 1],
      ['record', 4],
    ]);
    expect(events[0]).toMatchObject({ code: 'VALIDATION_TOO_LONG' });
    expect(fields(events)[1]).toEqual(['2', 'ok']);
  });

  it('reports a line the splitter found too long as one problem', () => {
    const parser = new CsvRecordParser(',', 10);
    const out = collector();
    parser.line('xxxxxxxxxx', 3, true, out);
    expect(out.events).toEqual([
      { kind: 'problem', code: 'VALIDATION_TOO_LONG', message: 'line longer than 10 characters', line: 3, original: 'xxxxxxxxxx' },
    ]);
  });
});
