import { classifyKafkaError, isRebalancing } from './kafka-errors';

const kafkaError = (name: string, message: string, extra: object = {}) => Object.assign(new Error(message), { name, ...extra });

describe('classifyKafkaError', () => {
  it('treats a connection failure wrapped by kafkajs after its own retries as transient', () => {
    const refused = kafkaError('KafkaJSConnectionError', 'connect ECONNREFUSED 127.0.0.1:9092', { retriable: true });
    const wrapped = kafkaError('KafkaJSNonRetriableError', refused.message, { retriable: false, cause: refused });
    expect(classifyKafkaError(wrapped, 'connecting')).toMatchObject({ code: 'KAFKA_UNAVAILABLE', retriable: true });
  });

  it('treats an error kafkajs marks retriable as transient', () => {
    const err = kafkaError('KafkaJSProtocolError', 'The coordinator is loading', { retriable: true });
    expect(classifyKafkaError(err, 'committing').retriable).toBe(true);
  });

  it('treats a non-retriable protocol error as fatal and names what was being done', () => {
    const err = kafkaError('KafkaJSProtocolError', 'Topic authorization failed', { retriable: false });
    const classified = classifyKafkaError(err, 'producing');
    expect(classified).toMatchObject({ code: 'KAFKA_REQUEST_FAILED', kind: 'fatal' });
    expect(classified.message).toBe('producing: Topic authorization failed');
  });
});

describe('isRebalancing', () => {
  // The codes are the protocol's (kafkajs protocol/error.js); kafkajs turns them into protocol errors with this type.
  it('recognises the errors a heartbeat throws while the group rebalances', () => {
    for (const type of ['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR_FOR_GROUP']) {
      expect(isRebalancing(kafkaError('KafkaJSProtocolError', 'rebalancing', { type, retriable: false }))).toBe(true);
    }
  });

  it('does not excuse any other error', () => {
    expect(isRebalancing(kafkaError('KafkaJSProtocolError', 'fenced', { type: 'INVALID_PRODUCER_EPOCH' }))).toBe(false);
    expect(isRebalancing(new Error('REBALANCE_IN_PROGRESS'))).toBe(false);
    expect(isRebalancing(null)).toBe(false);
  });
});
