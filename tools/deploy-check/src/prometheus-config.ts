import { z } from 'zod';

/** The parts of prometheus.yml and its rule files these checks read; other keys pass through. */

const dnsSdConfig = z.looseObject({
  names: z.array(z.string()),
  type: z.string().default('SRV'),
  port: z.number().optional(),
});

const scrapeConfig = z.looseObject({
  job_name: z.string(),
  scrape_interval: z.string().optional(),
  metrics_path: z.string().default('/metrics'),
  scheme: z.string().default('http'),
  dns_sd_configs: z.array(dnsSdConfig).default([]),
  static_configs: z.array(z.looseObject({ targets: z.array(z.string()) })).default([]),
});

export const prometheusConfig = z.looseObject({
  // Prometheus's own default is 1m; these checks want it stated.
  global: z.looseObject({ scrape_interval: z.string(), evaluation_interval: z.string().optional() }),
  rule_files: z.array(z.string()).default([]),
  scrape_configs: z.array(scrapeConfig),
});

export const ruleFile = z.looseObject({
  groups: z.array(
    z.looseObject({
      name: z.string(),
      rules: z.array(z.looseObject({ alert: z.string().optional(), record: z.string().optional(), expr: z.string() })),
    }),
  ),
});

export type PrometheusConfig = z.output<typeof prometheusConfig>;
export type ScrapeConfig = z.output<typeof scrapeConfig>;
