import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { StackLayout } from './layout';
import { requireMaven, runMaven } from './maven';

/** The Kafka version the pom pins (deploy/local/kafka/pom.xml is the one place it is written). */
export function kafkaVersionOf(pom: string): string {
  return /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1] ?? 'unknown';
}

/**
 * Collects the broker's runtime classpath (~105 jars, 56 MB) into kafka/libs, unless the jars for this very pom are
 * already there: the marker records the pom's hash, so bumping the Kafka version in the pom re-collects on the next
 * `up`. The jars land in a temporary directory first, so an interrupted download never looks installed.
 * Returns the time spent downloading, or undefined when nothing had to be done.
 */
export async function installKafka(
  layout: StackLayout,
  searchPath: string,
  log: (line: string) => void,
): Promise<number | undefined> {
  const pom = readFileSync(layout.kafkaPom, 'utf8');
  const pomSha256 = createHash('sha256').update(pom).digest('hex');
  if (installedPomHash(layout) === pomSha256 && existsSync(layout.kafkaLibs)) return undefined;

  const mvn = requireMaven(searchPath);
  log(`downloading Kafka ${kafkaVersionOf(pom)} jars from Maven Central (first run: ~105 jars, 56 MB)`);
  const started = Date.now();
  const staging = `${layout.kafkaLibs}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.dirname(layout.kafkaLibs), { recursive: true });
  await runMaven(
    mvn,
    ['-f', layout.kafkaPom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${staging}`],
    { cwd: layout.dir, mavenRepo: layout.mavenRepo },
  );
  rmSync(layout.kafkaLibs, { recursive: true, force: true });
  renameSync(staging, layout.kafkaLibs);
  writeFileSync(layout.kafkaInstalledMarker, `${JSON.stringify({ kafkaVersion: kafkaVersionOf(pom), pomSha256 })}\n`);
  return Date.now() - started;
}

function installedPomHash(layout: StackLayout): string | undefined {
  try {
    const marker = JSON.parse(readFileSync(layout.kafkaInstalledMarker, 'utf8')) as { pomSha256?: unknown };
    return typeof marker.pomSha256 === 'string' ? marker.pomSha256 : undefined;
  } catch {
    return undefined;
  }
}

/** The classpath entry java expands to every jar of the directory (quoted for the JVM, not for a shell). */
export const kafkaClasspath = (layout: StackLayout): string => path.join(layout.kafkaLibs, '*');
