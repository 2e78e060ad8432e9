import { poisonError } from '@meterline/stream';
import { deadLetterHeaders } from './dlq-writer';

describe('deadLetterHeaders', () => {
  const letter = {
    topic: 'metrics.node.raw.v1.dlq',
    key: Buffer.from('k'),
    value: Buffer.from('v'),
    error: poisonError('DECODE_BAD_MAGIC', 'magic byte is 7', { details: { schemaId: 12 } }),
    step: 'decode',
    source: { topic: 'metrics.node.raw.v1', partition: '3', offset: '42' },
    headers: { traceparent: 'abc' },
  };

  it('names the error and the source record', () => {
    expect(deadLetterHeaders(letter)).toMatchObject({
      'error.code': 'DECODE_BAD_MAGIC',
      'error.message': 'magic byte is 7',
      'error.kind': 'poison',
      'error.step': 'decode',
      'error.detail.schemaId': '12',
      'source.topic': 'metrics.node.raw.v1',
      'source.partition': '3',
      'source.offset': '42',
    });
  });

  it('keeps the original headers so a replay from the DLQ loses nothing', () => {
    expect(deadLetterHeaders(letter).traceparent).toBe('abc');
  });

  it('bounds a huge error message so the DLQ record stays small', () => {
    const huge = { ...letter, error: poisonError('X', 'y'.repeat(100_000)) };
    expect(String(deadLetterHeaders(huge)['error.message']).length).toBeLessThanOrEqual(2_000);
  });
});
