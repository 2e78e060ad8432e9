import { readFileSync } from 'node:fs';
import { stackLayout } from './layout';
import { newClusterId, renderServerProperties } from './server-properties';

const values = { kafkaPort: 39092, controllerPort: 39093, logDirs: '/tmp/stack/kafka/data' };

/** Java properties, simplified: `key=value` lines, comments and blank lines skipped. */
function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'))
    .map((line) => {
      const i = line.indexOf('=');
      return [line.slice(0, i).trim(), line.slice(i + 1).trim()] as const;
    });
  return new Map(entries);
}

describe('renderServerProperties', () => {
  const template = readFileSync(stackLayout('/unused').kafkaServerTemplate, 'utf8');

  it('renders the shipped template into a single-node KRaft config on the given ports', () => {
    const props = parseProperties(renderServerProperties(template, values));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:39093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:39092,CONTROLLER://127.0.0.1:39093');
    expect(props.get('log.dirs')).toBe('/tmp/stack/kafka/data');
  });

  it('sets every replication factor and ISR minimum to 1 and turns off topic auto-creation', () => {
    const props = parseProperties(renderServerProperties(template, values));
    for (const key of [
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
      'default.replication.factor',
      'min.insync.replicas',
    ]) {
      expect([key, props.get(key)]).toEqual([key, '1']);
    }
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });

  it('leaves no placeholder behind', () => {
    expect(renderServerProperties(template, values)).not.toMatch(/\{\{|\}\}/);
  });

  it('refuses a template with a placeholder it has no value for', () => {
    expect(() => renderServerProperties('a={{kafkaPort}}\nb={{brokerRack}}\n', values)).toThrow(/brokerRack/);
  });

  it('escapes backslashes, which Java properties read as escapes', () => {
    expect(renderServerProperties('log.dirs={{logDirs}}', { ...values, logDirs: 'C:\\stack\\data' })).toBe(
      'log.dirs=C:\\\\stack\\\\data',
    );
  });
});

describe('newClusterId', () => {
  it('makes a 22-character URL-safe id from 16 random bytes', () => {
    const id = newClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    expect(newClusterId()).not.toBe(id);
  });

  it('never starts with "-", which Kafka would read as a command-line flag', () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x01)]; // 0xfb bytes encode as "-_v7-_v7..."
    expect(draws[0]?.toString('base64url').startsWith('-')).toBe(true);
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16));
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });
});
