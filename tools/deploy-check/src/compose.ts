import { z } from 'zod';

/**
 * The part of the compose file format these checks read, normalised: compose accepts a list or a map for
 * `environment` and `depends_on`, and a short string or a long object for `ports` and `volumes`; the checks want one
 * shape each. Unknown keys pass through untouched (this is not a full compose validator).
 */

export interface PortMapping {
  readonly hostIp: string | undefined;
  readonly published: string | undefined;
  readonly target: number;
}

export interface Mount {
  readonly type: 'bind' | 'volume' | 'tmpfs';
  readonly source: string | undefined;
  readonly target: string;
  readonly readOnly: boolean;
}

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const environment = z
  .union([z.record(z.string(), scalar), z.array(z.string())])
  .transform((env): Record<string, string> => {
    const pairs = Array.isArray(env)
      ? env.map((item): [string, string] => {
          const eq = item.indexOf('=');
          return eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
        })
      : Object.entries(env).map(([k, v]): [string, string] => [k, v === null ? '' : String(v)]);
    return Object.fromEntries(pairs);
  });

const dependsOn = z
  .union([z.array(z.string()), z.record(z.string(), z.looseObject({ condition: z.string().optional() }))])
  .transform((deps): Record<string, string> =>
    Array.isArray(deps)
      ? Object.fromEntries(deps.map((d) => [d, 'service_started']))
      : Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v.condition ?? 'service_started'])),
  );

/** `[HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]`, or the long syntax. */
export function parsePort(
  spec: string | number | { target: number; published?: string | number; host_ip?: string },
): PortMapping {
  if (typeof spec === 'object') {
    const published = spec.published === undefined ? undefined : String(spec.published);
    return { hostIp: spec.host_ip, published, target: spec.target };
  }
  const parts = String(spec).replace(/\/(tcp|udp)$/, '').split(':');
  const target = Number(parts.pop());
  const published = parts.pop();
  const hostIp = parts.length > 0 ? parts.join(':') : undefined;
  if (!Number.isInteger(target)) throw new Error(`cannot read the port mapping ${JSON.stringify(spec)}`);
  return { hostIp, published, target };
}

const port = z
  .union([
    z.string(),
    z.number(),
    z.looseObject({
      target: z.number(),
      published: z.union([z.string(), z.number()]).optional(),
      host_ip: z.string().optional(),
    }),
  ])
  .transform((p) => parsePort(p));

/** `SOURCE:TARGET[:MODE]` (a source starting with `.`, `/` or `~` is a bind mount), `TARGET` alone, or the long syntax. */
export function parseMount(
  spec: string | { type: string; source?: string; target: string; read_only?: boolean },
): Mount {
  if (typeof spec === 'object') {
    const type = spec.type === 'bind' || spec.type === 'tmpfs' ? spec.type : 'volume';
    return { type, source: spec.source, target: spec.target, readOnly: spec.read_only === true };
  }
  const [first = '', second, mode] = spec.split(':');
  if (second === undefined) return { type: 'volume', source: undefined, target: first, readOnly: false };
  const type = /^[./~]/.test(first) ? 'bind' : 'volume';
  return { type, source: first, target: second, readOnly: (mode ?? '').split(',').includes('ro') };
}

const mount = z
  .union([
    z.string(),
    z.looseObject({
      type: z.string(),
      source: z.string().optional(),
      target: z.string(),
      read_only: z.boolean().optional(),
    }),
  ])
  .transform((m) => parseMount(m));

const commandLine = z.union([z.string(), z.array(z.string())]);

const service = z.looseObject({
  image: z.string().optional(),
  build: z
    .union([z.string(), z.looseObject({ context: z.string(), dockerfile: z.string().optional() })])
    .transform((b) =>
      typeof b === 'string'
        ? { context: b, dockerfile: 'Dockerfile' }
        : { context: b.context, dockerfile: b.dockerfile ?? 'Dockerfile' },
    )
    .optional(),
  container_name: z.string().optional(),
  hostname: z.string().optional(),
  entrypoint: commandLine.optional(),
  command: commandLine.optional(),
  environment: environment.default({}),
  ports: z.array(port).default([]),
  volumes: z.array(mount).default([]),
  depends_on: dependsOn.default({}),
  healthcheck: z.looseObject({ test: commandLine, disable: z.boolean().optional() }).optional(),
  restart: z.string().optional(),
  stop_grace_period: z.string().optional(),
});

const composeFile = z.looseObject({
  services: z.record(z.string(), service),
  volumes: z.record(z.string(), z.unknown().nullable()).default({}),
});

export type ComposeService = z.output<typeof service>;
export type ComposeFile = z.output<typeof composeFile>;

export const parseCompose = (doc: unknown): ComposeFile => composeFile.parse(doc);

/** The one service running `image` (by repository, any tag); an error if there is none or more than one. */
export function serviceByImage(compose: ComposeFile, repository: string): [string, ComposeService] {
  const found = Object.entries(compose.services).filter(([, s]) => s.image?.split(':')[0] === repository);
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected exactly one compose service with image ${repository}, found ${found.length}`);
  }
  return found[0];
}

export function serviceNamed(compose: ComposeFile, name: string): ComposeService {
  const found = compose.services[name];
  if (found === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** A command as one list of words: the exec form as is, the shell form split on blanks (enough for these checks). */
export const words = (command: string | readonly string[] | undefined): string[] =>
  command === undefined ? [] : typeof command === 'string' ? command.split(/\s+/).filter((w) => w !== '') : [...command];
