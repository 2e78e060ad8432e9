import { createServer } from 'node:net';
import { fatalError } from '@meterline/stream';

export interface NamedPort {
  readonly name: string;
  readonly port: number;
  /** The variable that moves this port, for the error message. */
  readonly envVar: string;
}

/**
 * Fails with every busy port named, before any JVM starts. Otherwise a port held by something else (another checkout's
 * stack, a forgotten broker) surfaces as a bind error deep in a log after a long wait, or worse, as "ready" because the
 * probe reached the other process.
 */
export async function assertPortsFree(ports: readonly NamedPort[]): Promise<void> {
  const busy: string[] = [];
  for (const p of ports) {
    if (!(await isFree(p.port))) busy.push(`${p.name} port ${p.port} (set ${p.envVar} to move it)`);
  }
  if (busy.length > 0) {
    throw fatalError('STACK_PORT_IN_USE', `ports already in use on 127.0.0.1 by another process: ${busy.join(', ')}`);
  }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
