import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { SERVICE_NAMES } from '@meterline/config';
import { PIPELINE_METRIC_NAMES } from '@meterline/observability';
import { parseCompose, serviceByImage } from './compose';
import {
  allPanels,
  dashboard,
  dashboardProvisioning,
  dashboardQueries,
  datasourceProvisioning,
  type Panel,
} from './grafana';
import { knownMetrics } from './known-metrics';
import { prometheusConfig } from './prometheus-config';
import { metricNamesIn } from './promql';
import { DEPLOY_FILES, readRepoFile, readYaml, repoPath } from './repo';

const compose = parseCompose(readYaml(DEPLOY_FILES.compose));
const [, grafana] = serviceByImage(compose, 'grafana/grafana');
const [prometheusName] = serviceByImage(compose, 'prom/prometheus');
const datasources = datasourceProvisioning.parse(readYaml(DEPLOY_FILES.grafanaDatasources)).datasources;
const providers = dashboardProvisioning.parse(readYaml(DEPLOY_FILES.grafanaDashboardProviders)).providers;
const board = dashboard.parse(JSON.parse(readRepoFile(DEPLOY_FILES.grafanaDashboard)));
const queries = dashboardQueries(board);
const datasource = datasources[0];

/** Where compose mounts a repository folder inside the Grafana container. */
const mountedAt = (hostDir: string): string | undefined => grafana.volumes.find((m) => m.source === `./${hostDir}`)?.target;

describe('Grafana provisioning', () => {
  it('provisions one Prometheus datasource, at the compose prometheus service', () => {
    expect(datasources).toHaveLength(1);
    expect(datasource?.type).toBe('prometheus');
    expect(new URL(datasource?.url ?? '').hostname).toBe(prometheusName);
  });

  it("sets the datasource's minimum interval to Prometheus's scrape interval", () => {
    const { global } = prometheusConfig.parse(readYaml(DEPLOY_FILES.prometheus));
    expect(datasource?.jsonData.timeInterval).toBe(global.scrape_interval);
  });

  it('is mounted where Grafana reads provisioning, and the dashboards folder where the provider looks', () => {
    expect(mountedAt(path.dirname(path.dirname(DEPLOY_FILES.grafanaDatasources)))).toBe('/etc/grafana/provisioning');
    const dashboardsDir = path.dirname(DEPLOY_FILES.grafanaDashboard);
    expect(providers.map((p) => p.options.path)).toEqual([mountedAt(dashboardsDir)]);
    expect(readdirSync(repoPath(dashboardsDir))).toContain(path.basename(DEPLOY_FILES.grafanaDashboard));
  });

  it('sets a home dashboard that exists', () => {
    const home = grafana.environment['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'];
    const dashboardsDir = path.dirname(DEPLOY_FILES.grafanaDashboard);
    expect(home?.startsWith(`${mountedAt(dashboardsDir)}/`)).toBe(true);
    expect(existsSync(repoPath(path.join(dashboardsDir, path.basename(home ?? ''))))).toBe(true);
  });
});

describe('deploy/grafana/dashboards/meterline.json', () => {
  it('queries the provisioned datasource in every panel, query and variable', () => {
    const panels = allPanels(board).filter((p) => p.type !== 'row' || p.datasource);
    const refs = [
      ...panels.map((p) => ({ where: p.title, ref: p.datasource })),
      ...queries.map((q) => ({ where: q.where, ref: q.datasource })),
    ];
    const wrong = refs.filter(({ ref }) => ref?.uid !== datasource?.uid || ref?.type !== datasource?.type);
    expect(wrong).toEqual([]);
  });

  it('queries only metrics the services export (or up)', async () => {
    const { names } = await knownMetrics();
    const unknown = queries.flatMap((q) =>
      metricNamesIn(q.expr)
        .filter((n) => !names.has(n))
        .map((n) => `${q.where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it('charts every shared pipeline metric', () => {
    const used = new Set(queries.flatMap((q) => metricNamesIn(q.expr)));
    const charted = (m: string) => [m, `${m}_bucket`, `${m}_sum`, `${m}_count`].some((series) => used.has(series));
    const missing = PIPELINE_METRIC_NAMES.filter((m) => !charted(m));
    expect(missing).toEqual([]);
  });

  it('takes quantiles of histograms as histogram_quantile over the rate of _bucket, keeping le', async () => {
    const { histograms } = await knownMetrics();
    const bucketQueries = queries.filter((q) => metricNamesIn(q.expr).some((n) => n.endsWith('_bucket')));
    expect(bucketQueries.length).toBeGreaterThan(0);
    for (const q of bucketQueries) {
      for (const n of metricNamesIn(q.expr)) expect(histograms).toContain(n.replace(/_bucket$/, ''));
      expect(q.expr).toMatch(/^histogram_quantile\(\s*0?\.\d+\s*,\s*sum by \([^)]*\ble\b[^)]*\)\s*\(\s*rate\(/);
    }
  });

  it.each(SERVICE_NAMES)('has an "up" panel for %s', (name) => {
    const upOfService = new RegExp(`\\bup\\{job="${name}"\\}`);
    const upPanels = allPanels(board).filter((p) => p.targets.some((t) => upOfService.test(t.expr)));
    expect(upPanels).toHaveLength(1);
  });

  it('splits every other chart by service', () => {
    const isUpPanel = (p: Panel) => p.targets.some((t) => metricNamesIn(t.expr).includes('up'));
    const charts = allPanels(board).filter((p) => p.type !== 'row' && !isUpPanel(p));
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      for (const t of chart.targets) expect(`${chart.title}: ${t.legendFormat ?? ''}`).toContain('{{service}}');
    }
  });

  it('filters by a $service variable that lists the scrape jobs, which are named after the services', () => {
    const variable = board.templating.list.find((v) => v.name === 'service');
    const query = typeof variable?.query === 'string' ? variable.query : variable?.query?.query;
    expect(query).toBe('label_values(up, job)');
    const jobs = prometheusConfig.parse(readYaml(DEPLOY_FILES.prometheus)).scrape_configs.map((j) => j.job_name);
    expect(jobs).toEqual(expect.arrayContaining([...SERVICE_NAMES]));
  });

  it('has unique panel ids', () => {
    const ids = allPanels(board).map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
