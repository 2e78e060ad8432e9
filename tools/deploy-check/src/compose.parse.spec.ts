import { parseCompose, parseMount, parsePort } from './compose';
import { durationMs } from './durations';

describe('compose normalisation', () => {
  it('reads the short and long port syntax', () => {
    expect(parsePort('127.0.0.1:9092:9092')).toEqual({ hostIp: '127.0.0.1', published: '9092', target: 9092 });
    expect(parsePort('8080:80/tcp')).toEqual({ hostIp: undefined, published: '8080', target: 80 });
    expect(parsePort(9000)).toEqual({ hostIp: undefined, published: undefined, target: 9000 });
    expect(parsePort({ target: 80, published: 8080 })).toEqual({ hostIp: undefined, published: '8080', target: 80 });
  });

  it('tells bind mounts from named volumes', () => {
    expect(parseMount('./x:/etc/x:ro')).toEqual({ type: 'bind', source: './x', target: '/etc/x', readOnly: true });
    expect(parseMount('data:/data')).toEqual({ type: 'volume', source: 'data', target: '/data', readOnly: false });
  });

  it('reads environment and depends_on in list and map form', () => {
    const compose = parseCompose({
      services: {
        a: { environment: ['A=1', 'B=x=y'], depends_on: ['b'] },
        b: { environment: { A: 1, C: null }, depends_on: { a: { condition: 'service_healthy' } } },
      },
    });
    expect(compose.services['a']).toMatchObject({ environment: { A: '1', B: 'x=y' }, depends_on: { b: 'service_started' } });
    expect(compose.services['b']).toMatchObject({ environment: { A: '1', C: '' }, depends_on: { a: 'service_healthy' } });
  });
});

describe('durationMs', () => {
  it('reads compose and Prometheus durations, and refuses anything else', () => {
    expect(durationMs('1m30s')).toBe(90_000);
    expect(durationMs('10s')).toBe(10_000);
    expect(durationMs('250ms')).toBe(250);
    expect(() => durationMs('30')).toThrow(/not a duration/);
    expect(() => durationMs('10 s')).toThrow(/not a duration/);
  });
});
