import { nodeMetricRawTopic, topicDeclarations } from '@meterline/schemas';
import { benchNames, benchTopicDeclarations, runIdOf } from './bench-topics';

describe('bench topics', () => {
  const names = benchNames(runIdOf(new Date(Date.UTC(2026, 10, 22, 0, 52, 49, 123))));

  it('lives under a prefix of its own, never on a catalog topic', () => {
    const catalog = new Set(topicDeclarations().map((d) => d.name));
    const declared = benchTopicDeclarations(names).map((d) => d.name);
    expect(names.prefix).toBe('bench-20261122T005249123Z.');
    expect(declared.every((name) => name.startsWith(names.prefix) && !catalog.has(name))).toBe(true);
    expect(new Set(declared).size).toBe(declared.length);
  });

  it("copies the catalog's settings, append-time stamps included, which the latency phase relies on", () => {
    for (const d of benchTopicDeclarations(names)) {
      expect(d.partitions).toBe(nodeMetricRawTopic.partitions);
      expect(d.configs['message.timestamp.type']).toBe('LogAppendTime');
      expect(d.configs['cleanup.policy']).toBe('delete');
    }
  });

  it('names its own consumer groups and registry subjects under the prefix too', () => {
    expect(Object.values(names.groups).every((g) => g.startsWith(names.prefix))).toBe(true);
    expect(names.source.valueSubject).toBe(`${names.source.name}-value`);
    expect(names.target.keySubject.startsWith(names.prefix)).toBe(true);
  });
});
