import type { NodeMetadata, NodeMetricRaw } from '@meterline/schemas';
import { enrich, toSample } from './enrich';

const raw: NodeMetricRaw = {
  node_id: 'n1',
  metric: 'cpu_usage',
  value: 1.5,
  capacity: 4,
  unit: 'Cores',
  event_time: 1_724_709_090_000,
  source: 'replay',
  labels: { pool: 'a' },
};
const metadata: NodeMetadata = { node_id: 'n1', instance_type: 'n2-standard-4', zone: 'us-east4-a', labels: { tier: 'x' }, updated_at: 5 };

describe('enrich', () => {
  it('joins the metadata and derives utilisation as a fraction', () => {
    expect(enrich(raw, metadata)).toEqual({
      ...raw,
      unit: 'cores',
      metadata_status: 'joined',
      instance_type: 'n2-standard-4',
      zone: 'us-east4-a',
      node_labels: { tier: 'x' },
      metadata_updated_at: 5,
      utilisation: 0.375,
    });
  });

  it('marks a sample without metadata as unknown and keeps it', () => {
    expect(enrich(raw, undefined)).toMatchObject({ metadata_status: 'unknown', instance_type: null, zone: null, node_labels: {} });
  });

  it.each([
    ['missing', null],
    ['zero', 0],
  ])('has no utilisation when capacity is %s', (_what, capacity) => {
    expect(enrich({ ...raw, capacity }, metadata).utilisation).toBeNull();
  });

  it('tells the window engine which fields a sample lacked', () => {
    expect(toSample(enrich({ ...raw, capacity: null }, undefined)).missing_fields).toEqual(['capacity', 'metadata']);
    expect(toSample(enrich(raw, metadata)).missing_fields).toEqual([]);
  });
});
