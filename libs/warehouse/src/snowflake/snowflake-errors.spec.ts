import { fatalError, poisonError } from '@meterline/stream';
import { classifySnowflakeError } from './snowflake-errors';

/**
 * Errors shaped as snowflake-sdk builds them (lib/errors.js: an Error with name, code, sqlState and, for HTTP failures,
 * the response). The SQL ones come from real statements in schema.fakesnow.spec.ts; these cover what the fake cannot
 * produce (network failures, HTTP statuses, Snowflake's own lock and session codes).
 */
const sdkError = (name: string, fields: { code?: string | number; sqlState?: string; response?: { statusCode: number } }, message = 'failed') =>
  Object.assign(new Error(message), { name, ...fields });

describe('classifySnowflakeError', () => {
  it.each([
    ['a network failure', sdkError('NetworkError', { code: 401001 }, 'connect ECONNREFUSED'), 'transient', 'WAREHOUSE_UNAVAILABLE'],
    ['an HTTP 503', sdkError('RequestFailedError', { code: 401002, response: { statusCode: 503 } }), 'transient', 'WAREHOUSE_UNAVAILABLE'],
    ['an HTTP 429', sdkError('RequestFailedError', { code: 401002, response: { statusCode: 429 } }), 'transient', 'WAREHOUSE_UNAVAILABLE'],
    ['an HTTP 403', sdkError('RequestFailedError', { code: 401002, response: { statusCode: 403 } }), 'fatal', 'WAREHOUSE_FAILED'],
    ['a lock it could not get (000625)', sdkError('OperationFailedError', { code: '000625', sqlState: '57014' }), 'transient', 'WAREHOUSE_CONFLICT'],
    ['a deadlock victim (40001)', sdkError('OperationFailedError', { code: '000603', sqlState: '40001' }), 'transient', 'WAREHOUSE_CONFLICT'],
    ['a statement timeout (57014)', sdkError('OperationFailedError', { code: '000630', sqlState: '57014' }), 'transient', 'WAREHOUSE_UNAVAILABLE'],
    ['an expired session token', sdkError('OperationFailedError', { code: '390114', sqlState: '08001' }), 'transient', 'WAREHOUSE_UNAVAILABLE'],
    ['a value that does not convert (22018)', sdkError('OperationFailedError', { code: '100038', sqlState: '22018' }), 'poison', 'WAREHOUSE_ROW_CONVERSION'],
    ['a missing table (42S02)', sdkError('OperationFailedError', { code: '002003', sqlState: '42S02' }), 'fatal', 'WAREHOUSE_FAILED'],
    ['a bad option', sdkError('InvalidParameterError', { code: 404005 }), 'fatal', 'WAREHOUSE_FAILED'],
    ['something that is not an error', 'a string', 'fatal', 'WAREHOUSE_FAILED'],
  ])('calls %s %s', (_, err, kind, code) => {
    const error = classifySnowflakeError(err, 'loading');
    expect([error.kind, error.code]).toEqual([kind, code]);
  });

  it("keeps Snowflake's code, SQLSTATE and first message line", () => {
    const error = classifySnowflakeError(sdkError('OperationFailedError', { code: '002003', sqlState: '42S02' }, 'SQL compilation error:\nObject does not exist'), 'loading');
    expect(error.message).toBe('loading: 002003 (42S02) SQL compilation error:');
    expect(error.details).toEqual({ code: '002003', sqlState: '42S02' });
  });

  it('keeps an error that is already classified', () => {
    const poison = poisonError('WAREHOUSE_ROW_CONVERSION', 'bad row');
    const fatal = fatalError('X', 'y');
    expect([classifySnowflakeError(poison, 'loading'), classifySnowflakeError(fatal, 'loading')]).toEqual([poison, fatal]);
  });
});
