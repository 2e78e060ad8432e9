import { validateMetadata } from '../../validate';
import { nodeMetadataCandidates, nodeRemovedCandidate } from './node-metadata';

describe('nodeMetadataCandidates', () => {
  it('reads instance type and zone from the well-known labels and keeps all labels', () => {
    const labels = {
      'kubernetes.io/hostname': 'node-a',
      'node.kubernetes.io/instance-type': 'm5.xlarge',
      'topology.kubernetes.io/zone': 'eu-west-1a',
    };
    const node = { metadata: { name: 'node-a', labels }, status: { images: [{ names: ['big'] }] } };
    expect(nodeMetadataCandidates([node])).toEqual([
      {
        fields: { node_id: 'node-a', instance_type: 'm5.xlarge', zone: 'eu-west-1a', labels },
        position: { object: 'Node/node-a' },
        original: JSON.stringify({ metadata: { name: 'node-a', labels } }),
      },
    ]);
  });

  it('falls back to the beta labels of older clusters', () => {
    const labels = {
      'beta.kubernetes.io/instance-type': 'n1-standard-4',
      'failure-domain.beta.kubernetes.io/zone': 'us-east1-b',
    };
    const [candidate] = nodeMetadataCandidates([{ metadata: { name: 'old', labels } }]);
    expect(candidate?.fields).toMatchObject({ instance_type: 'n1-standard-4', zone: 'us-east1-b' });
  });

  it('yields metadata that validation accepts, stamped with the ingest time', () => {
    const [candidate] = nodeMetadataCandidates([{ metadata: { name: 'bare' } }]);
    expect(validateMetadata(candidate?.fields ?? {}, () => 1_700_000_000_000)).toEqual({
      kind: 'ok',
      values: [
        {
          node_id: 'bare',
          value: { node_id: 'bare', instance_type: null, zone: null, labels: {}, updated_at: 1_700_000_000_000 },
        },
      ],
    });
  });

  it('turns a removed node into a tombstone', () => {
    expect(validateMetadata(nodeRemovedCandidate('gone').fields)).toEqual({
      kind: 'ok',
      values: [{ node_id: 'gone', value: null }],
    });
  });
});
