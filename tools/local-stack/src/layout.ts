import * as path from 'node:path';
import { DEPLOY_DIR } from './settings';

/**
 * Where everything lives inside the stack directory. Downloads (m2, kafka/libs, registry/) survive `down` and a fresh
 * `up`; kafka/data is wiped on every fresh `up`, because a stack is disposable and tests must not see old topics.
 */
export interface StackLayout {
  readonly dir: string;
  /** The Maven local repository, kept inside the stack directory so the project leaves ~/.m2 alone. */
  readonly mavenRepo: string;
  readonly kafkaPom: string;
  readonly kafkaLibs: string;
  readonly kafkaInstalledMarker: string;
  readonly kafkaData: string;
  readonly kafkaServerTemplate: string;
  readonly kafkaServerProperties: string;
  readonly kafkaLog4j: string;
  readonly registryHome: string;
  readonly downloads: string;
  readonly logs: string;
  readonly stateFile: string;
  readonly lockFile: string;
  readonly leasesDir: string;
}

export function stackLayout(dir: string): StackLayout {
  return {
    dir,
    mavenRepo: path.join(dir, 'm2'),
    kafkaPom: path.join(DEPLOY_DIR, 'kafka', 'pom.xml'),
    kafkaLibs: path.join(dir, 'kafka', 'libs'),
    kafkaInstalledMarker: path.join(dir, 'kafka', 'installed.json'),
    kafkaData: path.join(dir, 'kafka', 'data'),
    kafkaServerTemplate: path.join(DEPLOY_DIR, 'kafka', 'server.properties.template'),
    kafkaServerProperties: path.join(dir, 'kafka', 'server.properties'),
    kafkaLog4j: path.join(DEPLOY_DIR, 'kafka', 'log4j.properties'),
    registryHome: path.join(dir, 'registry'),
    downloads: path.join(dir, 'downloads'),
    logs: path.join(dir, 'logs'),
    stateFile: path.join(dir, 'state.json'),
    lockFile: path.join(dir, 'stack.lock'),
    leasesDir: path.join(dir, 'leases'),
  };
}

export const logFileOf = (layout: StackLayout, component: 'kafka' | 'registry'): string =>
  path.join(layout.logs, `${component}.log`);
