import { validateMetadata, validateMetric, RejectReason } from '../validate';
import { instanceTypeNamed } from './catalog';
import { corrupt, cpuRecord, invalidKinds, memoryRecord, metadataRecord, tombstoneRecord, type InvalidKind } from './records';

const labels = { cluster: 'test' };
const cpu = cpuRecord('node-a', 1.25, 4, '2024-08-26T10:15:00.000Z', labels);
const memory = memoryRecord('node-a', 6_442_450_944, 17_179_869_184, '2024-08-26T10:15:00.000Z', labels);

const expectedCode: Record<InvalidKind, string> = {
  negativeValue: RejectReason.negative,
  nanValue: RejectReason.notFinite,
  missingNodeId: RejectReason.missingField,
  badEventTime: RejectReason.badTimestamp,
};

describe('generated records', () => {
  it('validate into raw metrics with their units and capacities', () => {
    expect(validateMetric(cpu, 'generator')).toMatchObject({ kind: 'ok', values: [{ value: 1.25, capacity: 4, unit: 'cores' }] });
    expect(validateMetric(memory, 'generator')).toMatchObject({ kind: 'ok', values: [{ unit: 'bytes' }] });
  });

  it.each(invalidKinds)('when corrupted as %s, are rejected by validation with the matching reason', (kind) => {
    for (const record of [cpu, memory]) {
      const outcome = validateMetric(JSON.parse(JSON.stringify(corrupt(record, kind))), 'generator');
      expect(outcome.kind === 'poison' && outcome.error.code).toBe(expectedCode[kind]);
    }
  });

  it('survive a JSON round trip unchanged, so the file and the live stream validate alike', () => {
    for (const kind of invalidKinds) {
      const broken = corrupt(cpu, kind);
      expect(JSON.parse(JSON.stringify(broken))).toEqual(broken);
    }
  });

  it('describe node metadata and removals the way metadata validation reads them', () => {
    const type = instanceTypeNamed('m5.xlarge');
    if (!type) throw new Error('catalog lacks m5.xlarge');
    const meta = validateMetadata(metadataRecord('node-a', type, 'eu-west-1a', '2024-08-26T06:00:00.000Z'));
    expect(meta).toMatchObject({
      kind: 'ok',
      values: [{ value: { instance_type: 'm5.xlarge', zone: 'eu-west-1a', updated_at: Date.UTC(2024, 7, 26, 6) } }],
    });
    const removal = validateMetadata(tombstoneRecord('node-a', '2024-08-26T09:00:00.000Z'));
    expect(removal).toEqual({ kind: 'ok', values: [{ node_id: 'node-a', value: null }] });
  });
});
