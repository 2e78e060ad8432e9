import { uniqueName } from './unique-name';

describe('uniqueName', () => {
  it('keeps the prefix and makes every name different', () => {
    const names = Array.from({ length: 1000 }, () => uniqueName('metrics.node.raw.v1'));
    expect(new Set(names).size).toBe(1000);
    for (const name of names) expect(name).toMatch(/^metrics\.node\.raw\.v1-[a-z0-9]+$/);
  });

  it('refuses a prefix Kafka would refuse as a topic name', () => {
    expect(() => uniqueName('my topic')).toThrow(/not allow/);
    expect(() => uniqueName('')).toThrow(/not allow/);
  });
});
