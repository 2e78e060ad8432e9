import { randomBytes } from 'node:crypto';
import { javaCompatiblePartitioner, murmur2 } from './java-partitioner';

// kafkajs's murmur2 (64-bit Long emulation) is an independent implementation of the same Java function: the oracle.
// Its murmur2 module has no type declarations, hence require and the cast.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer) => number;

describe('murmur2', () => {
  it('equals the Long-arithmetic implementation for every length and byte pattern', () => {
    for (let length = 0; length < 64; length++) {
      for (let round = 0; round < 50; round++) {
        const key = randomBytes(length);
        expect(murmur2(key)).toBe(kafkajsMurmur2(key));
      }
    }
  });

  it('handles bytes with the high bit set, where sign extension would go wrong', () => {
    const key = Buffer.from([0xff, 0x80, 0x81, 0xfe, 0xff, 0x90, 0xa0]);
    expect(murmur2(key)).toBe(kafkajsMurmur2(key));
  });
});

describe('javaCompatiblePartitioner', () => {
  const partitionMetadata = [0, 1, 2, 3, 4, 5].map((partitionId) => ({
    partitionId,
    leader: 1,
    partitionErrorCode: 0,
    replicas: [1],
    isr: [1],
  }));
  const partition = javaCompatiblePartitioner();

  it('maps a key to toPositive(murmur2(key)) % partitions, the same partition every time', () => {
    const key = Buffer.from('node-42');
    const expected = (kafkajsMurmur2(key) & 0x7fffffff) % 6;
    for (let i = 0; i < 3; i++) {
      expect(partition({ topic: 't', partitionMetadata, message: { key, value: null } })).toBe(expected);
    }
  });

  it('keeps an explicit partition', () => {
    expect(partition({ topic: 't', partitionMetadata, message: { key: 'x', value: null, partition: 4 } })).toBe(4);
  });

  it('spreads records without a key over the partitions that have a leader', () => {
    const half = partitionMetadata.map((p) => ({ ...p, leader: p.partitionId % 2 ? -1 : 1 }));
    const seen = new Set(
      Array.from({ length: 30 }, () => partition({ topic: 'u', partitionMetadata: half, message: { key: null, value: null } })),
    );
    expect([...seen].sort()).toEqual([0, 2, 4]);
  });
});
