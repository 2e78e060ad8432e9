import { z } from 'zod';
import { variableQueryExprs } from './promql';

/** The parts of Grafana's provisioning files and dashboard JSON these checks read; other keys pass through. */

const datasourceRef = z.looseObject({ type: z.string().optional(), uid: z.string().optional() });

export const datasourceProvisioning = z.looseObject({
  apiVersion: z.number(),
  datasources: z.array(
    z.looseObject({
      name: z.string(),
      uid: z.string(),
      type: z.string(),
      url: z.string(),
      jsonData: z.looseObject({ timeInterval: z.string().optional() }).default({}),
    }),
  ),
});

export const dashboardProvisioning = z.looseObject({
  apiVersion: z.number(),
  providers: z.array(z.looseObject({ name: z.string(), type: z.string(), options: z.looseObject({ path: z.string() }) })),
});

const target = z.looseObject({
  refId: z.string().optional(),
  expr: z.string().default(''),
  legendFormat: z.string().optional(),
  datasource: datasourceRef.optional(),
});

interface PanelIn {
  id?: number | undefined;
  title: string;
  type: string;
  datasource?: z.infer<typeof datasourceRef> | undefined;
  targets: z.infer<typeof target>[];
  panels: PanelIn[];
}

const panel: z.ZodType<PanelIn> = z.lazy(() =>
  z.looseObject({
    id: z.number().optional(),
    title: z.string().default(''),
    type: z.string(),
    datasource: datasourceRef.optional(),
    targets: z.array(target).default([]),
    // A collapsed row keeps its panels inside it.
    panels: z.array(panel).default([]),
  }),
);

const variable = z.looseObject({
  name: z.string(),
  type: z.string(),
  datasource: datasourceRef.optional(),
  query: z.union([z.string(), z.looseObject({ query: z.string().default('') })]).optional(),
});

export const dashboard = z.looseObject({
  uid: z.string(),
  title: z.string(),
  panels: z.array(panel),
  templating: z.looseObject({ list: z.array(variable).default([]) }).default({ list: [] }),
});

export type Dashboard = z.output<typeof dashboard>;
export type Panel = PanelIn;
export type DatasourceRef = z.infer<typeof datasourceRef>;

/** Every panel, those inside collapsed rows included. */
export const allPanels = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...p.panels]);

/** A PromQL query of the dashboard, with where it sits (for messages). */
export interface DashboardQuery {
  readonly where: string;
  readonly expr: string;
  readonly datasource: DatasourceRef | undefined;
}

/** Every PromQL query: panel targets, and the series selectors of query variables. */
export function dashboardQueries(d: Dashboard): DashboardQuery[] {
  const fromPanels = allPanels(d).flatMap((p) =>
    p.targets
      .filter((t) => t.expr.trim() !== '')
      .map((t) => ({
        where: `panel "${p.title}" ${t.refId ?? ''}`.trim(),
        expr: t.expr,
        datasource: t.datasource ?? p.datasource,
      })),
  );
  const fromVariables = d.templating.list
    .filter((v) => v.type === 'query')
    .flatMap((v) => {
      const query = typeof v.query === 'string' ? v.query : (v.query?.query ?? '');
      return variableQueryExprs(query).map((expr) => ({ where: `variable $${v.name}`, expr, datasource: v.datasource }));
    });
  return [...fromPanels, ...fromVariables];
}
