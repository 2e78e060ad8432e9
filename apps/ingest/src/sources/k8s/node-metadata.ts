import type { Candidate, MetadataFields } from '../../candidate';
import { at, textAt } from './api-fields';

// Well-known labels set by the kubelet and cloud providers; the beta names are what clusters before 1.17 wrote.
const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];
const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

function stringLabels(node: unknown): Record<string, string> {
  const raw = at(node, 'metadata', 'labels');
  const out: Record<string, string> = {};
  if (raw !== null && typeof raw === 'object') {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

const firstOf = (labels: Record<string, string>, names: readonly string[]) =>
  names.map((n) => labels[n]).find((v) => v !== undefined);

/**
 * Node metadata from a NodeList's items: instance type and zone from the well-known labels, all labels kept. The
 * update time is left to validation, which stamps a snapshot with the time it is ingested: a Node has no
 * last-modified time of its own. The original is the Node's name and labels only, since a Node's status (its image
 * list above all) runs to many kilobytes.
 */
export function nodeMetadataCandidates(nodes: readonly unknown[]): Candidate<MetadataFields>[] {
  return nodes.map((node) => {
    const name = textAt(node, 'metadata', 'name');
    const labels = stringLabels(node);
    return {
      fields: {
        node_id: name,
        instance_type: firstOf(labels, INSTANCE_TYPE_LABELS),
        zone: firstOf(labels, ZONE_LABELS),
        labels,
      },
      position: { object: `Node/${name ?? ''}` },
      original: JSON.stringify({ metadata: { name, labels } }),
    };
  });
}

/** The tombstone of a node that is gone from the cluster. */
export const nodeRemovedCandidate = (name: string): Candidate<MetadataFields> => ({
  fields: { node_id: name, deleted: true },
  position: { object: `Node/${name}` },
  original: JSON.stringify({ metadata: { name }, deleted: true }),
});
