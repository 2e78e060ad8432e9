import { intBelow, seeded } from './test-support/random';
import { engineFor, lines, rec, type Rec } from './test-support/records';
import { hopping, session, sliding, tumbling, type WindowSpec } from './window-spec';

// Windows computed straight from their definitions over the whole input, to check the incremental engine against.
// Records arrive out of order but never later than the grace period allows, so nothing is late and every window is
// emitted exactly once with its complete contents.

const GRACE = 40;

function randomInput(seed: number): Rec[] {
  const random = seeded(seed);
  const records: Rec[] = [];
  let t = 0;
  for (let i = 0; i < 150; i++) {
    t += intBelow(random, 9);
    records.push(rec(`k${intBelow(random, 3)}`, t, `#${i}`));
  }
  // Delay each record by less than the grace period: a bounded shuffle.
  return records
    .map((r) => ({ r, arrival: r.t + intBelow(random, GRACE) }))
    .sort((a, b) => a.arrival - b.arrival)
    .map(({ r }) => r);
}

const line = (key: string, start: number, end: number, members: readonly Rec[]) =>
  `${key} ${start}..${end} r0: ${[...members].sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1)).map((r) => r.id).join(' ')}`;

function byKey(records: readonly Rec[]): Map<string, Rec[]> {
  const groups = new Map<string, Rec[]>();
  for (const r of records) groups.set(r.key, [...(groups.get(r.key) ?? []), r]);
  return groups;
}

function bruteForce(spec: WindowSpec, records: readonly Rec[]): string[] {
  const out: string[] = [];
  for (const [key, rs] of byKey(records)) {
    if (spec.kind === 'tumbling' || spec.kind === 'hopping') {
      // Every slot on the grid from before the first record to after the last; keep those with records in them.
      const advance = spec.kind === 'hopping' ? spec.advanceMs : spec.sizeMs;
      const times = rs.map((r) => r.t);
      for (let start = -Math.ceil(spec.sizeMs / advance) * advance; start <= Math.max(...times); start += advance) {
        const end = start + spec.sizeMs;
        const inside = (t: number) => (spec.closed === 'right' ? start < t && t <= end : start <= t && t < end);
        const members = rs.filter((r) => inside(r.t));
        if (members.length > 0) out.push(line(key, start, end, members));
      }
    } else if (spec.kind === 'sliding') {
      const d = spec.timeDifferenceMs;
      const times = [...new Set(rs.map((r) => r.t))];
      const starts = new Set(times.map((t) => t - d));
      for (const t of times) if (times.some((u) => u > t && u <= t + 1 + d)) starts.add(t + 1);
      for (const s of starts) out.push(line(key, s, s + d, rs.filter((r) => r.t >= s && r.t <= s + d)));
    } else {
      const sorted = [...rs].sort((a, b) => a.t - b.t);
      let current: Rec[] = [];
      for (const r of sorted) {
        const last = current[current.length - 1];
        if (last !== undefined && r.t - last.t > spec.gapMs) {
          out.push(line(key, current[0]?.t ?? 0, last.t, current));
          current = [];
        }
        current.push(r);
      }
      const last = current[current.length - 1];
      if (last !== undefined) out.push(line(key, current[0]?.t ?? 0, last.t, current));
    }
  }
  return out.sort();
}

describe.each<[string, WindowSpec]>([
  ['tumbling', tumbling({ sizeMs: 50, graceMs: GRACE })],
  ['hopping', hopping({ sizeMs: 50, advanceMs: 20, graceMs: GRACE })],
  ['right-closed hopping', hopping({ sizeMs: 60, advanceMs: 20, closed: 'right', graceMs: GRACE })],
  ['sliding', sliding({ timeDifferenceMs: 25, graceMs: GRACE })],
  ['session', session({ gapMs: 12, graceMs: GRACE })],
])('WindowEngine with %s windows, against their definition', (_name, spec) => {
  it('emits every window once with exactly the records the definition puts in it', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = randomInput(seed);
      const engine = engineFor(spec);
      const emitted = input.flatMap((r) => {
        const out = engine.add(0, r, 0);
        expect(out.late).toEqual([]);
        return lines(out);
      });
      // A record far in the future on a key of its own closes everything.
      emitted.push(...lines(engine.add(0, rec('zz', 1_000_000), 0)));
      expect({ seed, windows: emitted.sort() }).toEqual({ seed, windows: bruteForce(spec, input) });
      expect(engine.stats().lateUpdates).toBe(0);
    }
  });
});
