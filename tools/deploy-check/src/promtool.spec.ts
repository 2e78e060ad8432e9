import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { dashboard, dashboardQueries } from './grafana';
import { withGrafanaVariablesFilled } from './promql';
import { DEPLOY_FILES, readRepoFile, repoPath } from './repo';

/**
 * Prometheus's own checker, when this machine has it (Debian's `prometheus` package provides promtool; CI does not
 * install it). Without it, the single test below says so in its title: the config and the queries were then checked
 * only by the specs beside this one, not by Prometheus's parser.
 */
const promtool = (process.env['PATH'] ?? '')
  .split(path.delimiter)
  .map((dir) => path.join(dir, 'promtool'))
  .find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

function runPromtool(bin: string, args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(bin, args, { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

if (promtool === undefined) {
  describe('promtool', () => {
    const note = 'NOT RUN: promtool is not on PATH, so Prometheus did not check';
    it(`${note} prometheus.yml, its rules or the dashboard PromQL (apt-get install prometheus to run it)`, () => {
      expect(promtool).toBeUndefined();
    });
  });
} else {
  const bin = promtool;
  describe(`promtool (${bin})`, () => {
    it('accepts deploy/prometheus/prometheus.yml and the rule files it loads', () => {
      const result = runPromtool(bin, ['check', 'config', repoPath(DEPLOY_FILES.prometheus)]);
      expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: expect.any(String) });
    });

    it('parses every PromQL query of the dashboard (Grafana variables filled in)', () => {
      const queries = dashboardQueries(dashboard.parse(JSON.parse(readRepoFile(DEPLOY_FILES.grafanaDashboard))));
      // Each query as a recording rule: `promtool check rules` parses the expression of every rule.
      const rules = queries.map((q, i) => ({ record: `dashboard:query_${i}`, expr: withGrafanaVariablesFilled(q.expr) }));
      const dir = mkdtempSync(path.join(tmpdir(), 'dashboard-rules-'));
      try {
        const file = path.join(dir, 'dashboard.rules.yml');
        writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
        const result = runPromtool(bin, ['check', 'rules', file]);
        expect({ status: result.status, output: result.output }).toEqual({ status: 0, output: expect.any(String) });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
