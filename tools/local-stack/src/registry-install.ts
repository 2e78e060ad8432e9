import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { StackLayout } from './layout';
import { requireMaven, runMaven } from './maven';

export const APICURIO_VERSION = '3.3.3';

// The runnable Quarkus app is published as a classifier archive of the app module. Older 3.x lines (3.1.6, 3.2.6)
// have no such archive on Maven Central, which is why the stack starts at 3.3.
const ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;

export const registryAppDir = (layout: StackLayout): string =>
  path.join(layout.registryHome, `apicurio-registry-${APICURIO_VERSION}`);

/** quarkus-run.jar sits at the archive root and finds lib/, app/ and quarkus/ next to itself. */
export const registryJar = (layout: StackLayout): string => path.join(registryAppDir(layout), 'quarkus-run.jar');

/**
 * Downloads the registry archive (158 MB) and unpacks it, unless this version is already unpacked. Unpacked into a
 * temporary directory and renamed, so an interrupted run never leaves a half app that looks installed; the archive
 * copy is deleted afterwards (Maven keeps its own copy in the stack's m2 repository).
 * Returns the time spent, or undefined when nothing had to be done.
 */
export async function installRegistry(
  layout: StackLayout,
  searchPath: string,
  log: (line: string) => void,
): Promise<number | undefined> {
  if (existsSync(registryJar(layout))) return undefined;

  const mvn = requireMaven(searchPath);
  log(`downloading Apicurio Registry ${APICURIO_VERSION} from Maven Central (first run: 158 MB)`);
  const started = Date.now();
  mkdirSync(layout.downloads, { recursive: true });
  await runMaven(
    mvn,
    [
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
      `-Dartifact=${ARTIFACT}`,
      `-DoutputDirectory=${layout.downloads}`,
    ],
    // Outside any project directory: `copy` needs no pom, and must not pick one up by accident.
    { cwd: layout.downloads, mavenRepo: layout.mavenRepo },
  );
  const archive = path.join(layout.downloads, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`);
  const staging = `${registryAppDir(layout)}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  await promisify(execFile)('tar', ['-xzf', archive, '-C', staging]);
  rmSync(registryAppDir(layout), { recursive: true, force: true });
  renameSync(staging, registryAppDir(layout));
  rmSync(archive, { force: true });
  return Date.now() - started;
}
