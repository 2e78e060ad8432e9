/** The kinds of node the generator builds clusters from: a plausible EKS cluster in one region. */
export type Pool = 'general' | 'compute' | 'memory';

export interface InstanceType {
  readonly name: string;
  readonly cores: number;
  readonly memoryBytes: number;
  readonly pool: Pool;
  /** Relative frequency in a generated cluster. */
  readonly weight: number;
}

const GiB = 1024 ** 3;

/**
 * AWS instance types with their vCPUs and memory. Capacity is the instance's full size; a real node's allocatable is a
 * little lower (kube-reserved, eviction threshold), which the generator does not model.
 */
export const instanceTypes: readonly InstanceType[] = [
  { name: 'm5.large', cores: 2, memoryBytes: 8 * GiB, pool: 'general', weight: 2 },
  { name: 'm5.xlarge', cores: 4, memoryBytes: 16 * GiB, pool: 'general', weight: 4 },
  { name: 'm5.2xlarge', cores: 8, memoryBytes: 32 * GiB, pool: 'general', weight: 3 },
  { name: 'm5.4xlarge', cores: 16, memoryBytes: 64 * GiB, pool: 'general', weight: 1 },
  { name: 'c5.2xlarge', cores: 8, memoryBytes: 16 * GiB, pool: 'compute', weight: 2 },
  { name: 'r5.xlarge', cores: 4, memoryBytes: 32 * GiB, pool: 'memory', weight: 2 },
];

export const region = 'eu-west-1';
export const zones: readonly string[] = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export function instanceTypeNamed(name: string): InstanceType | undefined {
  return instanceTypes.find((t) => t.name === name);
}
