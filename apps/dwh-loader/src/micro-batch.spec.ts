import { type BatchItem, type BatchLimits, MicroBatch } from './micro-batch';

const limits: BatchLimits = { rows: 3, bytes: 100, maxWaitMs: 1_000 };
const record = (offset: number, bytes = 10): BatchItem<string, string> => ({ kind: 'record', record: `r${offset}`, offset: String(offset), bytes });
const letter = (offset: number, bytes = 10): BatchItem<string, string> => ({ kind: 'letter', letter: `l${offset}`, offset: String(offset), bytes });

describe('MicroBatch', () => {
  it('keeps records and dead letters apart and stores the position after the fetch, markers included', () => {
    const batch = new MicroBatch<string, string>();
    batch.add('t', 0, [record(4), letter(5), record(6)], '9', 100);

    expect(batch.records).toEqual(['r4', 'r6']);
    expect(batch.letters).toEqual(['l5']);
    expect([batch.rows, batch.bytes, batch.openedAt]).toEqual([3, 30, 100]);
    expect(batch.offsets).toEqual([{ topic: 't', partition: 0, nextOffset: '9' }]);
  });

  it('stores the offset after the last item taken when the rest of the fetch waits for the next batch', () => {
    const batch = new MicroBatch<string, string>();
    batch.add('t', 2, [record(10), record(11)], undefined, 0);
    expect(batch.offsets).toEqual([{ topic: 't', partition: 2, nextOffset: '12' }]);
  });

  it('takes as many items as fit under the row and byte bounds, and at least one when empty', () => {
    const batch = new MicroBatch<string, string>();
    expect(batch.fitting([record(0, 500), record(1)], limits)).toBe(1);
    batch.add('t', 0, [record(0, 60)], undefined, 0);
    expect(batch.fitting([record(1, 30), record(2, 30)], limits)).toBe(1);
    expect(batch.fitting([record(1, 5), record(2, 5), record(3, 5)], limits)).toBe(2);
  });

  it('asks for a load when full by rows, by bytes, or when its oldest entry waited long enough', () => {
    const byRows = new MicroBatch<string, string>();
    byRows.add('t', 0, [record(0), record(1), record(2)], undefined, 0);
    expect(byRows.flushReason(limits, 0)).toBe('rows');

    const byBytes = new MicroBatch<string, string>();
    byBytes.add('t', 0, [record(0, 100)], undefined, 0);
    expect(byBytes.flushReason(limits, 0)).toBe('bytes');

    const byTime = new MicroBatch<string, string>();
    byTime.add('t', 0, [record(0)], undefined, 5_000);
    expect(byTime.flushReason(limits, 5_999)).toBeUndefined();
    expect(byTime.flushReason(limits, 6_000)).toBe('time');
    expect(new MicroBatch().flushReason(limits, 1e12)).toBeUndefined();
  });

  it('loads positions without records too (fetches of markers only), and never moves one back', () => {
    const batch = new MicroBatch<string, string>();
    batch.advance('t', 1, '20', 50);
    batch.advance('t', 1, '18', 60);
    batch.add('u', 1, [record(3)], undefined, 70);

    expect(batch.isEmpty).toBe(false);
    expect(batch.rows).toBe(1);
    expect(batch.openedAt).toBe(50);
    expect(batch.offsets).toEqual([
      { topic: 't', partition: 1, nextOffset: '20' },
      { topic: 'u', partition: 1, nextOffset: '4' },
    ]);
    expect(batch.flushReason(limits, 1_050)).toBe('time');
  });
});
