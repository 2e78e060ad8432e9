import { nodeIdOf, stripPort } from './node-id';

const labels = (record: Record<string, string>) => Object.entries(record).map(([name, value]) => ({ name, value }));

describe('nodeIdOf', () => {
  const options = { nodeLabels: ['node', 'instance'], stripInstancePort: true };

  it('takes the first configured label that is present', () => {
    expect(nodeIdOf(labels({ instance: '10.0.0.7:9100', node: 'gke-pool-1-abc' }), options)).toBe('gke-pool-1-abc');
    expect(nodeIdOf(labels({ instance: '10.0.0.7:9100', job: 'node' }), options)).toBe('10.0.0.7');
  });

  it('passes over a label whose value is empty', () => {
    expect(nodeIdOf(labels({ node: '', instance: 'host-a:9100' }), options)).toBe('host-a');
  });

  it('keeps the port when told to, and never touches labels other than instance', () => {
    expect(nodeIdOf(labels({ instance: 'host-a:9100' }), { ...options, stripInstancePort: false })).toBe('host-a:9100');
    expect(nodeIdOf(labels({ node: 'odd:name:1' }), options)).toBe('odd:name:1');
  });

  it('finds no node when none of the labels is there', () => {
    expect(nodeIdOf(labels({ job: 'node' }), options)).toBeUndefined();
  });
});

describe('stripPort', () => {
  it.each([
    ['host-a:9100', 'host-a'],
    ['10.0.0.7:9100', '10.0.0.7'],
    ['[fe80::1]:9100', 'fe80::1'],
    ['fe80::1', 'fe80::1'],
    ['host-a', 'host-a'],
    ['host-a:http', 'host-a:http'],
  ])('turns %s into %s', (instance, host) => {
    expect(stripPort(instance)).toBe(host);
  });
});
