import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The deployment files this project checks, relative to the repository root. */
export const DEPLOY_FILES = {
  compose: 'docker-compose.yml',
  createTopics: 'deploy/kafka/create-topics.sh',
  prometheus: 'deploy/prometheus/prometheus.yml',
  grafanaDatasources: 'deploy/grafana/provisioning/datasources/prometheus.yml',
  grafanaDashboardProviders: 'deploy/grafana/provisioning/dashboards/meterline.yml',
  grafanaDashboard: 'deploy/grafana/dashboards/meterline.json',
} as const;

export const repoPath = (relative: string): string => path.join(REPO_ROOT, relative);

export const readRepoFile = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

/** YAML as compose reads it: `<<: *anchor` merge keys resolved (compose relies on them), duplicate keys rejected. */
export const readYaml = (relative: string): unknown => parse(readRepoFile(relative), { merge: true });

export const dockerfileOf = (service: string): string => `apps/${service}/Dockerfile`;
