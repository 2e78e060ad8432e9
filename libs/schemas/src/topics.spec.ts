import { readSchemaFamilies } from '@meterline/schema-codegen';
import { join } from 'node:path';
import { keySubject, valueSubject } from './subjects';
import { topicDeclarations } from './topic-declarations';
import { topicName } from './topic-name';
import { nodeMetadataTopic, nodeMetricRawTopic, topicByName, topics } from './topics';

const families = readSchemaFamilies(join(__dirname, '../../..'));

const DAY_MS = 86_400_000;

describe('topic catalog', () => {
  it('declares every topic and dead-letter topic that start-up creates, each with an explicit retention', () => {
    const appendTime = { 'message.timestamp.type': 'LogAppendTime' };
    expect(topicDeclarations()).toEqual([
      {
        name: 'metrics.node.raw.v1',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.raw.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
      {
        name: 'metadata.node.v1',
        partitions: 6,
        configs: { 'cleanup.policy': 'compact', 'retention.ms': '-1', ...appendTime },
      },
      {
        name: 'metadata.node.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.enriched.v1',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.enriched.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.agg.v1',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.agg.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.late.v1',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(7 * DAY_MS), ...appendTime },
      },
      {
        name: 'metrics.node.late.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
      {
        name: 'enrichment.state.changelog.v1',
        partitions: 6,
        configs: {
          'cleanup.policy': 'compact',
          'retention.ms': '-1',
          ...appendTime,
          'segment.ms': '3600000',
          'min.cleanable.dirty.ratio': '0.1',
        },
      },
      {
        name: 'enrichment.state.changelog.v1.dlq',
        partitions: 6,
        configs: { 'cleanup.policy': 'delete', 'retention.ms': String(14 * DAY_MS), ...appendTime },
      },
    ]);
  });

  it('has the broker stamp append time on every topic, so retention never counts from a replayed event time', () => {
    for (const declaration of topicDeclarations()) {
      expect(declaration.configs).toMatchObject({ 'message.timestamp.type': 'LogAppendTime' });
      expect(Number(declaration.configs['retention.ms'])).not.toBeNaN();
    }
  });

  it('puts the same prefix in front of every topic of an isolated run', () => {
    expect(topicDeclarations('it-42.').map((d) => d.name)).toEqual([
      'it-42.metrics.node.raw.v1',
      'it-42.metrics.node.raw.v1.dlq',
      'it-42.metadata.node.v1',
      'it-42.metadata.node.v1.dlq',
      'it-42.metrics.node.enriched.v1',
      'it-42.metrics.node.enriched.v1.dlq',
      'it-42.metrics.node.agg.v1',
      'it-42.metrics.node.agg.v1.dlq',
      'it-42.metrics.node.late.v1',
      'it-42.metrics.node.late.v1.dlq',
      'it-42.enrichment.state.changelog.v1',
      'it-42.enrichment.state.changelog.v1.dlq',
    ]);
    expect(topicName(nodeMetricRawTopic.dlq, 'it-42.')).toBe('it-42.metrics.node.raw.v1.dlq');
    expect(topicName(nodeMetricRawTopic)).toBe('metrics.node.raw.v1');
  });

  it('names topics <domain>.<entity>[.<stage>].v<major> and dead-letter topics <topic>.dlq', () => {
    for (const topic of topics) {
      expect(topic.name).toMatch(/^[a-z]+\.[a-z]+(\.[a-z]+)?\.v[1-9][0-9]*$/);
      expect(topic.dlq.name).toBe(`${topic.name}.dlq`);
      expect(topic.dlq.partitions).toBe(topic.partitions);
    }
  });

  it('uses the current .avsc version of each key and value schema', () => {
    for (const topic of topics) {
      for (const schema of [topic.key, topic.value]) {
        const current = families.find((f) => f.name === schema.family)?.versions.at(-1);
        expect({ topic: topic.name, version: schema.version, schema: schema.schema }).toEqual({
          topic: topic.name,
          version: current?.version,
          schema: current?.schema,
        });
      }
    }
  });

  it('keys samples and metadata by node id, aggregates by node, metric and window, and state by store and key', () => {
    expect(topics.map((t) => [t.name, t.key.name, t.value.name])).toEqual([
      ['metrics.node.raw.v1', 'string', 'io.meterline.NodeMetricRaw'],
      ['metadata.node.v1', 'string', 'io.meterline.NodeMetadata'],
      ['metrics.node.enriched.v1', 'string', 'io.meterline.NodeMetricEnriched'],
      ['metrics.node.agg.v1', 'io.meterline.NodeWindowKey', 'io.meterline.NodeMetricAgg'],
      ['metrics.node.late.v1', 'string', 'io.meterline.NodeMetricEnriched'],
      ['enrichment.state.changelog.v1', 'io.meterline.StateKey', 'io.meterline.StateEntry'],
    ]);
    expect(topics.map((t) => t.key.family)).toEqual(['node-id', 'node-id', 'node-id', 'node-window-key', 'node-id', 'state-key']);
  });

  it('names subjects by TopicNameStrategy, prefix included', () => {
    expect(keySubject(nodeMetricRawTopic)).toBe('metrics.node.raw.v1-key');
    expect(valueSubject(nodeMetricRawTopic)).toBe('metrics.node.raw.v1-value');
    expect(keySubject(nodeMetadataTopic, 'it-42.')).toBe('it-42.metadata.node.v1-key');
    expect(valueSubject(nodeMetadataTopic, 'it-42.')).toBe('it-42.metadata.node.v1-value');
  });

  it('finds a topic by the name it has on the broker', () => {
    expect(topicByName('metadata.node.v1')).toBe(nodeMetadataTopic);
    expect(topicByName('it-42.metrics.node.raw.v1', 'it-42.')).toBe(nodeMetricRawTopic);
    expect(topicByName('it-42.metrics.node.raw.v1')).toBeUndefined();
    expect(topicByName('metrics.node.raw.v1.dlq')).toBeUndefined();
    expect(topicByName('metrics.node.raw.v2')).toBeUndefined();
  });

  it('cannot be changed at run time', () => {
    for (const topic of topics) {
      expect(Object.isFrozen(topic)).toBe(true);
      expect(Object.isFrozen(topic.configs)).toBe(true);
      expect(Object.isFrozen(topic.dlq)).toBe(true);
    }
  });
});
