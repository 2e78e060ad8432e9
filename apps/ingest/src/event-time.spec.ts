import { parseEventTime } from './event-time';

const at = Date.UTC(2024, 7, 26, 21, 51, 30); // 2024-08-26T21:51:30Z

describe('parseEventTime', () => {
  it.each([
    ['epoch seconds', 1724709090, at],
    ['epoch seconds with a fraction', 1724709090.25, at + 250],
    ['epoch milliseconds', 1724709090000, at],
    ['epoch microseconds', 1724709090000000, at],
    ['epoch nanoseconds', 1724709090000000000, at],
    ['epoch nanoseconds as a bigint', 1724709090123456789n, at + 123],
    ['epoch seconds as a string', '1724709090', at],
    ['epoch nanoseconds as a string', '1724709090123456789', at + 123],
  ])('reads %s', (_what, input, expected) => {
    expect(parseEventTime(input)).toEqual({ ok: true, ms: expected });
  });

  it.each([
    ['2024-08-26T21:51:30Z', at],
    ['2024-08-26T21:51:30.5Z', at + 500],
    ['2024-08-26T21:51:30.123456789Z', at + 123],
    ['2024-08-26T23:51:30+02:00', at],
    ['2024-08-26T16:51:30-0500', at],
    ['2024-08-26 21:51:30', at],
    ['2024-08-26T21:51', at - 30_000],
    ['2024-08-26', Date.UTC(2024, 7, 26)],
  ])('reads the ISO-8601 time %s (UTC when no zone is given)', (input, expected) => {
    expect(parseEventTime(input)).toEqual({ ok: true, ms: expected });
  });

  it.each([
    ['a word', 'yesterday'],
    ['an impossible date', '2024-02-30T00:00:00Z'],
    ['an impossible hour', '2024-08-26T25:00:00Z'],
    ['NaN', Number.NaN],
    ['infinity', Number.POSITIVE_INFINITY],
    ['an empty string', ''],
    ['null', null],
    ['an object', { t: 1 }],
    ['a negative epoch', -5],
    ['a year past 2200', '2300-01-01T00:00:00Z'],
  ])('rejects %s with a reason', (_what, input) => {
    const result = parseEventTime(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/timestamp/);
  });
});
