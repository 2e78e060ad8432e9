import { activity } from './daily-cycle';

const at = (iso: string) => activity(Date.parse(iso));

describe('activity', () => {
  it('peaks during business hours and idles in the evening', () => {
    expect(at('2024-08-26T12:00:00Z')).toBe(1);
    expect(at('2024-08-26T22:00:00Z')).toBe(0);
    expect(at('2024-08-26T05:00:00Z')).toBe(0);
  });

  it('ramps up through the morning instead of jumping', () => {
    const morning = ['07:00', '07:30', '08:00', '08:30', '09:00'].map((t) => at(`2024-08-26T${t}:00Z`));
    expect(morning[0]).toBe(0);
    expect(morning[4]).toBe(1);
    for (let i = 1; i < morning.length; i++) expect(morning[i]).toBeGreaterThan(morning[i - 1] ?? 1);
  });

  it('runs a nightly batch window around 02:00', () => {
    expect(at('2024-08-26T02:00:00Z')).toBeCloseTo(0.3, 12);
    expect(at('2024-08-26T01:30:00Z')).toBeCloseTo(0.15, 12);
  });

  it('runs weekends at a fraction of a weekday', () => {
    // 2024-08-31 is a Saturday, 2024-09-01 a Sunday, 2024-09-02 a Monday.
    expect(at('2024-08-31T12:00:00Z')).toBeCloseTo(0.35, 12);
    expect(at('2024-09-01T12:00:00Z')).toBeCloseTo(0.35, 12);
    expect(at('2024-09-02T12:00:00Z')).toBe(1);
  });
});
