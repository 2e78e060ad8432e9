import { classifyLookupError, classifyRegisterError } from './registry-errors';

const httpError = (status: number, message: string) => Object.assign(new Error(message), { status });

describe('registry error classification', () => {
  it('treats a refused connection, reported by the client as status 400, as transient', () => {
    const err = classifyLookupError(httpError(400, 'meterline - Error, status 400: connect ECONNREFUSED 127.0.0.1:1'), 5);
    expect(err).toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
  });

  it('treats a 5xx answer as transient', () => {
    expect(classifyLookupError(httpError(503, 'unavailable'), 5).retriable).toBe(true);
  });

  it('treats an unknown schema id as poison: that record can never be decoded', () => {
    expect(classifyLookupError(httpError(404, 'Schema not found'), 77)).toMatchObject({
      code: 'DECODE_UNKNOWN_SCHEMA',
      kind: 'poison',
      details: { schemaId: 77 },
    });
  });

  it('reports an incompatible schema as a fatal error that explains the BACKWARD rule', () => {
    const err = classifyRegisterError(httpError(409, 'Schema being registered is incompatible'), 'topic-value');
    expect(err).toMatchObject({ code: 'SCHEMA_INCOMPATIBLE', kind: 'fatal' });
    expect(err.message).toContain('topic-value');
    expect(err.message).toContain('default');
  });
});
