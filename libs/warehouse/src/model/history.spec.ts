import { type HistoryChange, planHistory, type StoredVersion } from './history';

const update = (key: string, validFrom: number, fingerprint: string): HistoryChange<string> => ({
  kind: 'update',
  key,
  validFrom,
  fingerprint,
  record: `${key}@${validFrom}:${fingerprint}`,
});
const tombstone = (key: string, at: number): HistoryChange<string> => ({ kind: 'tombstone', key, at });
const stored = (entries: [string, StoredVersion][]) => new Map(entries);

describe('planHistory', () => {
  it('opens a first version for a key never seen', () => {
    expect(planHistory(new Map(), [update('a', 10, 'x')])).toEqual({
      closes: [],
      inserts: [{ record: 'a@10:x', validFrom: 10, validTo: null }],
    });
  });

  it('closes the stored current version where a changed one begins', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: null, fingerprint: 'x' }]]), [update('a', 20, 'y')]);
    expect(plan).toEqual({
      closes: [{ key: 'a', validFrom: 10, validTo: 20 }],
      inserts: [{ record: 'a@20:y', validFrom: 20, validTo: null }],
    });
  });

  it('chains several versions of one key within a batch, closing each at the next', () => {
    const plan = planHistory(new Map(), [update('a', 10, 'x'), update('a', 20, 'y'), update('a', 30, 'z')]);
    expect(plan.inserts.map((i) => [i.validFrom, i.validTo])).toEqual([
      [10, 20],
      [20, 30],
      [30, null],
    ]);
    expect(plan.closes).toEqual([]);
  });

  it('adds no version for unchanged attributes (metadata re-sent after a restart)', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: null, fingerprint: 'x' }]]), [update('a', 50, 'x')]);
    expect(plan).toEqual({ closes: [], inserts: [] });
  });

  it('ignores an update no newer than the latest version: the newest metadata wins', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: null, fingerprint: 'x' }]]), [update('a', 10, 'y'), update('a', 5, 'z')]);
    expect(plan).toEqual({ closes: [], inserts: [] });
  });

  it('closes the current version at a tombstone and reopens the key on a later update', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: null, fingerprint: 'x' }]]), [
      tombstone('a', 40),
      tombstone('a', 45),
      update('a', 60, 'x'),
    ]);
    expect(plan).toEqual({
      closes: [{ key: 'a', validFrom: 10, validTo: 40 }],
      inserts: [{ record: 'a@60:x', validFrom: 60, validTo: null }],
    });
  });

  it('never closes a version before it began, even for a tombstone stamped earlier', () => {
    const plan = planHistory(new Map(), [update('a', 100, 'x'), tombstone('a', 90)]);
    expect(plan.inserts).toEqual([{ record: 'a@100:x', validFrom: 100, validTo: 100 }]);
  });

  it('ignores a tombstone for a key without a current version', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: 20, fingerprint: 'x' }]]), [tombstone('a', 30), tombstone('b', 30)]);
    expect(plan).toEqual({ closes: [], inserts: [] });
  });

  it('keeps keys apart', () => {
    const plan = planHistory(stored([['a', { validFrom: 10, validTo: null, fingerprint: 'x' }]]), [update('b', 20, 'x'), update('a', 30, 'y')]);
    expect(plan.closes).toEqual([{ key: 'a', validFrom: 10, validTo: 30 }]);
    expect(plan.inserts.map((i) => i.record)).toEqual(['b@20:x', 'a@30:y']);
  });
});
