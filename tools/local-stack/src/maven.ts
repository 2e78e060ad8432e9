import { spawn } from 'node:child_process';
import { fatalError } from '@meterline/stream';
import { findOnPath } from './find-on-path';
import { tailLines } from './log-tail';

/** `mvn` from PATH; the stack's downloads come from Maven Central through it. */
export function requireMaven(searchPath: string): string {
  const mvn = findOnPath('mvn', searchPath);
  if (mvn === undefined) {
    throw fatalError(
      'STACK_MAVEN_MISSING',
      'mvn (Apache Maven) is not on PATH. The local stack fetches Kafka and Apicurio Registry from Maven Central with it ' +
        'on first use; install it (e.g. apt-get install maven) and try again.',
    );
  }
  return mvn;
}

/**
 * Runs Maven in batch mode against the stack's own local repository. Output is kept and shown only on failure: a
 * successful `-q` run prints nothing worth reading, a failed one names the artifact or network problem in its tail.
 */
export async function runMaven(mvn: string, args: readonly string[], options: { cwd: string; mavenRepo: string }): Promise<void> {
  const child = spawn(mvn, ['-B', '-q', `-Dmaven.repo.local=${options.mavenRepo}`, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    // Maven colours even in batch mode on some terminals; the escapes only clutter an error message.
    // eslint-disable-next-line no-control-regex -- matching the ESC of ANSI colour codes is the point
    const tail = tailLines(output.replace(/\x1b\[[0-9;]*m/g, ''), 25).join('\n    ');
    throw fatalError('STACK_DOWNLOAD_FAILED', `mvn ${args.join(' ')} exited with ${code}:\n    ${tail}`);
  }
}
