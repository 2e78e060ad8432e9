import type { DestinationStream } from 'pino';
import { createLogger } from './logger';

function capture(): { destination: DestinationStream; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  return {
    destination: { write: (chunk: string) => void chunks.push(chunk) },
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON line per entry with the service, the level as a word and an ISO time', () => {
    const out = capture();
    const logger = createLogger({ service: 'enrichment', level: 'info', destination: out.destination });
    logger.info({ topic: 'metrics.node.raw.v1' }, 'consumer started');
    logger.warn('lag above target');

    const [first, second] = out.lines();
    expect(first).toMatchObject({
      service: 'enrichment',
      level: 'info',
      msg: 'consumer started',
      topic: 'metrics.node.raw.v1',
      pid: process.pid,
    });
    expect(new Date(String(first?.['time'])).toISOString()).toBe(first?.['time']);
    expect(second).toMatchObject({ service: 'enrichment', level: 'warn', msg: 'lag above target' });
  });

  it('drops entries below the configured level', () => {
    const out = capture();
    const logger = createLogger({ service: 'ingest', level: 'warn', destination: out.destination });
    logger.info('not shown');
    logger.debug('not shown either');
    logger.error('shown');
    expect(out.lines().map((l) => l['msg'])).toEqual(['shown']);
  });

  it('keeps the service on child loggers', () => {
    const out = capture();
    createLogger({ service: 'dwh-loader', level: 'info', destination: out.destination })
      .child({ component: 'writer' })
      .info('flushed');
    expect(out.lines()[0]).toMatchObject({ service: 'dwh-loader', component: 'writer', msg: 'flushed' });
  });

  it('serialises an error under err with its type, message and stack', () => {
    const out = capture();
    const logger = createLogger({ service: 'ingest', level: 'info', destination: out.destination });
    logger.error({ err: new TypeError('boom') }, 'step failed');
    const err = out.lines()[0]?.['err'] as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'TypeError', message: 'boom' });
    expect(String(err['stack'])).toContain('TypeError: boom');
  });
});
