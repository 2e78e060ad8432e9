import { factRecord } from '../test-support/records';
import { thrown } from '../test-support/errors';
import { checkCommitCovers, commitPositions, newRecords, partitionKey } from './offsets';

const topic = 'metrics.node.enriched.v1';
const offsetsOf = (records: readonly { partition: number; offset: string }[]) => records.map((r) => `${r.partition}@${r.offset}`);

describe('newRecords', () => {
  it('keeps every record of partitions with nothing stored', () => {
    const batch = [factRecord(0), factRecord(1), factRecord(0, undefined, 1)];
    const fresh = newRecords(batch, new Map());
    expect(offsetsOf(fresh.records)).toEqual(['0@0', '0@1', '1@0']);
    expect(fresh.offsets).toEqual([0, 1, 0]);
    expect(fresh.skipped).toBe(0);
  });

  it('skips records below the stored next offset of their partition, and only those', () => {
    const stored = new Map([[partitionKey(topic, 0), 2]]);
    const batch = [factRecord(1), factRecord(2), factRecord(3), factRecord(1, undefined, 1)];
    const fresh = newRecords(batch, stored);
    expect(offsetsOf(fresh.records)).toEqual(['0@2', '0@3', '1@1']);
    expect(fresh.skipped).toBe(1);
  });

  it('skips a record delivered twice within one batch (a seek back after a rebalance)', () => {
    const batch = [5, 6, 7, 5, 6, 7, 8].map((o) => factRecord(o));
    expect(offsetsOf(newRecords(batch, new Map()).records)).toEqual(['0@5', '0@6', '0@7', '0@8']);
  });

  it('reports the highest kept offset of each partition', () => {
    const fresh = newRecords([factRecord(4), factRecord(9, undefined, 2), factRecord(5)], new Map([[partitionKey(topic, 2), 10]]));
    expect([...fresh.highest.values()]).toEqual([{ topic, partition: 0, offset: 5 }]);
  });

  it.each(['-1', '1.5', '0x10', '', '99999999999999999'])('refuses the offset %j as a programming error', (offset) => {
    const error = thrown(() => newRecords([{ ...factRecord(0), offset }], new Map()));
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_BAD_OFFSET']);
  });
});

describe('checkCommitCovers', () => {
  const highest = newRecords([factRecord(3), factRecord(0, undefined, 1)], new Map()).highest;

  it('accepts a commit whose next offsets lie beyond every written record', () => {
    const positions = commitPositions({ group: 'g', offsets: [{ topic, partition: 0, nextOffset: '4' }, { topic, partition: 1, nextOffset: '1' }] });
    expect(() => checkCommitCovers(highest, positions)).not.toThrow();
  });

  it('refuses a commit that leaves a written record uncovered, which a restart would write again', () => {
    const positions = commitPositions({ group: 'g', offsets: [{ topic, partition: 0, nextOffset: '3' }, { topic, partition: 1, nextOffset: '1' }] });
    const error = thrown(() => checkCommitCovers(highest, positions));
    expect([error.kind, error.code, error.details['partition'], error.details['offset']]).toEqual(['fatal', 'WAREHOUSE_OFFSETS_BEHIND', 0, 3]);
  });

  it('refuses a commit without the partition of a written record', () => {
    const positions = commitPositions({ group: 'g', offsets: [{ topic, partition: 0, nextOffset: '9' }] });
    expect(() => checkCommitCovers(highest, positions)).toThrow(/commits nothing/);
  });
});

describe('commitPositions', () => {
  it('keeps the highest next offset of a partition listed twice', () => {
    const positions = commitPositions({ group: 'g', offsets: [{ topic, partition: 0, nextOffset: '7' }, { topic, partition: 0, nextOffset: '5' }] });
    expect([...positions.values()]).toEqual([{ topic, partition: 0, next: 7 }]);
  });

  it('refuses a commit without a consumer group', () => {
    expect(() => commitPositions({ group: '', offsets: [] })).toThrow(/consumer group/);
  });
});
