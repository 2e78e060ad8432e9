import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { fatalError } from '@meterline/stream';
import { findOnPath } from './find-on-path';

export interface JavaRuntime {
  /** The JDK/JRE directory (the one holding bin/java and, usually, the `release` file). */
  readonly home: string;
  readonly executable: string;
  /** The feature release: 8, 11, 17, 21, 25... */
  readonly major: number;
}

export interface JavaSearch {
  readonly javaHome?: string | undefined;
  /** A PATH-style list of directories. */
  readonly searchPath?: string;
  /** Directories whose subdirectories are JDKs; /usr/lib/jvm by default. */
  readonly jvmRoots?: readonly string[];
}

/** `1.8.0_392` → 8 (the pre-9 scheme), `17.0.15` → 17, `25` → 25, `21-ea` → 21. */
export function javaMajorOf(version: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** The feature release from a JDK's `release` file (`JAVA_VERSION="17.0.15"`): no JVM start needed. */
export function javaMajorFromRelease(text: string): number | undefined {
  const m = /^JAVA_VERSION="?([^"\n]+)"?\s*$/m.exec(text);
  return m?.[1] === undefined ? undefined : javaMajorOf(m[1]);
}

/** The feature release from `java -version` output (`openjdk version "17.0.15" 2025-04-15`), which goes to stderr. */
export function javaMajorFromVersionOutput(text: string): number | undefined {
  const m = /version "([^"]+)"/.exec(text);
  return m?.[1] === undefined ? undefined : javaMajorOf(m[1]);
}

/**
 * The first Java runtime of at least `minMajor`, trying JAVA_HOME, then `java` on PATH (what the user chose), then every
 * JDK under the JVM roots, newest first. Kafka 3.9 is happy with the default Java 17; Apicurio Registry 3.3 needs 21+.
 */
export function locateJava(minMajor: number, purpose: string, search: JavaSearch): JavaRuntime {
  const seen: string[] = [];
  for (const home of candidateHomes(search)) {
    const runtime = inspectJavaHome(home);
    seen.push(`${home} → ${runtime ? `Java ${runtime.major}` : 'not a Java runtime'}`);
    if (runtime && runtime.major >= minMajor) return runtime;
  }
  const looked = seen.length > 0 ? seen.join('; ') : 'nothing (JAVA_HOME unset, no java on PATH, no JDK in the JVM roots)';
  throw fatalError(
    'STACK_JAVA_MISSING',
    `${purpose} needs Java ${minMajor} or newer, and none was found.\n` +
      `  Looked at: ${looked}\n` +
      `  Install a JDK ${minMajor}+ (e.g. Temurin) under /usr/lib/jvm or point JAVA_HOME at one.`,
  );
}

function* candidateHomes(search: JavaSearch): Generator<string> {
  const yielded = new Set<string>();
  const fresh = (dir: string): string | undefined => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return undefined;
    }
    if (yielded.has(real)) return undefined;
    yielded.add(real);
    return real;
  };
  if (search.javaHome) {
    const home = fresh(search.javaHome);
    if (home) yield home;
  }
  const onPath = findOnPath('java', search.searchPath ?? '');
  if (onPath) {
    // /usr/bin/java is a chain of symlinks (alternatives) ending in <home>/bin/java.
    const home = fresh(path.dirname(path.dirname(realpathSync(onPath))));
    if (home) yield home;
  }
  const byVersion: { home: string; major: number }[] = [];
  for (const root of search.jvmRoots ?? ['/usr/lib/jvm']) {
    for (const entry of safeReaddir(root)) {
      const dir = path.join(root, entry);
      const major = releaseMajor(dir);
      if (major !== undefined) byVersion.push({ home: dir, major });
    }
  }
  byVersion.sort((a, b) => b.major - a.major);
  for (const { home } of byVersion) {
    const real = fresh(home);
    if (real) yield real;
  }
}

function inspectJavaHome(home: string): JavaRuntime | undefined {
  const executable = path.join(home, 'bin', 'java');
  if (!existsSync(executable)) return undefined;
  const major = releaseMajor(home) ?? versionOutputMajor(executable);
  return major === undefined ? undefined : { home, executable, major };
}

function releaseMajor(home: string): number | undefined {
  try {
    return javaMajorFromRelease(readFileSync(path.join(home, 'release'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The slow path for runtimes without a `release` file: start the JVM once and read its banner. */
function versionOutputMajor(executable: string): number | undefined {
  const result = spawnSync(executable, ['-version'], { encoding: 'utf8', timeout: 30_000 });
  return javaMajorFromVersionOutput(`${result.stderr ?? ''}${result.stdout ?? ''}`);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
