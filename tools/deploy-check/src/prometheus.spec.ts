import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { SERVICE_NAMES, SERVICES } from '@meterline/config';
import { parseCompose, serviceByImage, words } from './compose';
import { durationMs } from './durations';
import { knownMetrics } from './known-metrics';
import { prometheusConfig, ruleFile } from './prometheus-config';
import { metricNamesIn } from './promql';
import { DEPLOY_FILES, readYaml, repoPath } from './repo';

const config = prometheusConfig.parse(readYaml(DEPLOY_FILES.prometheus));
const compose = parseCompose(readYaml(DEPLOY_FILES.compose));
const configDir = path.dirname(DEPLOY_FILES.prometheus);

describe('deploy/prometheus/prometheus.yml', () => {
  it.each(SERVICE_NAMES)('scrapes every replica of %s by DNS (type A) on its HTTP_PORT, in a job of its name', (name) => {
    const job = config.scrape_configs.find((j) => j.job_name === name);
    expect(job).toBeDefined();
    const lookup = { names: [name], type: 'A', port: SERVICES[name].httpPort };
    expect(job?.dns_sd_configs).toEqual([expect.objectContaining(lookup)]);
    expect(job?.static_configs).toEqual([]);
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.scheme).toBe('http');
  });

  it('looks up only names that are compose services', () => {
    const names = config.scrape_configs.flatMap((j) => j.dns_sd_configs.flatMap((d) => d.names));
    for (const name of names) expect(Object.keys(compose.services)).toContain(name);
  });

  it('scrapes every 5 to 15 seconds', () => {
    const intervals = [config.global.scrape_interval, ...config.scrape_configs.flatMap((j) => j.scrape_interval ?? [])];
    for (const interval of intervals) {
      expect(durationMs(interval)).toBeGreaterThanOrEqual(5_000);
      expect(durationMs(interval)).toBeLessThanOrEqual(15_000);
    }
  });

  it('is the file the compose prometheus service loads', () => {
    const [, prometheus] = serviceByImage(compose, 'prom/prometheus');
    const flag = words(prometheus.command).find((w) => w.startsWith('--config.file='));
    const inContainer = flag?.slice('--config.file='.length) ?? '/etc/prometheus/prometheus.yml';
    const mount = prometheus.volumes.find((m) => m.target === path.posix.dirname(inContainer));
    expect(mount?.source).toBe(`./${configDir}`);
    expect(path.posix.basename(inContainer)).toBe(path.basename(DEPLOY_FILES.prometheus));
  });

  it('loads rule files that exist and query only metrics the services export', async () => {
    const { names } = await knownMetrics();
    for (const file of config.rule_files) {
      const relative = path.join(configDir, file);
      expect(existsSync(repoPath(relative))).toBe(true);
      const rules = ruleFile.parse(readYaml(relative)).groups.flatMap((g) => g.rules);
      const unknown = rules.flatMap((r) =>
        metricNamesIn(r.expr)
          .filter((n) => !names.has(n))
          .map((n) => `${r.alert ?? r.record}: ${n}`),
      );
      expect(unknown).toEqual([]);
    }
  });
});
