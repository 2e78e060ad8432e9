import { SERVICE_NAMES, SERVICES } from '@meterline/config';
import {
  envOf,
  execForm,
  exposedPorts,
  healthcheckCommand,
  instructionsOf,
  parseDockerfile,
  type Stage,
} from './dockerfile';
import { dockerfileOf, readRepoFile } from './repo';

describe.each(SERVICE_NAMES)('apps/%s/Dockerfile', (name) => {
  const stages = parseDockerfile(readRepoFile(dockerfileOf(name)));
  const runtime = stages[stages.length - 1] as Stage;
  const port = SERVICES[name].httpPort;

  it('builds in one stage and runs from another, taking only the bundle of this service', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const earlier = stages.slice(0, -1);
    const builds = earlier.flatMap((s) => instructionsOf(s, 'RUN')).map((i) => i.args);
    expect(builds.some((run) => new RegExp(`\\bnx build ${name}(\\s|$)`).test(run))).toBe(true);
    const copies = instructionsOf(runtime, 'COPY').filter((c) => /--from=/.test(c.args));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) expect(copy.args).toContain(`/dist/apps/${name}/`);
  });

  it('runs as a non-root user', () => {
    const user = instructionsOf(runtime, 'USER').pop()?.args.trim();
    expect(user).toBeDefined();
    expect(['root', '0', '0:0', 'root:root']).not.toContain(user);
  });

  it('checks /healthz on its HTTP_PORT', () => {
    const checks = instructionsOf(runtime, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const command = healthcheckCommand(checks[0]?.args ?? '') ?? '';
    expect(command).toContain('/healthz');
    // Either the port itself or the variable the service listens on (whose default is checked below).
    expect(command.includes('HTTP_PORT') || command.includes(`:${port}/`)).toBe(true);
  });

  it('exposes and defaults HTTP_PORT to the service port of libs/config', () => {
    expect(exposedPorts(runtime)).toEqual([port]);
    expect(envOf(runtime)['HTTP_PORT']).toBe(String(port));
  });

  it('installs only production dependencies at runtime', () => {
    const installs = instructionsOf(runtime, 'RUN').filter((r) => /\bnpm (ci|install|i)\b/.test(r.args));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) expect(install.args).toContain('--omit=dev');
  });

  // The shell form would make /bin/sh PID 1, which does not pass SIGTERM on: no graceful shutdown, a SIGKILL instead.
  it('starts in exec form, so the process itself receives SIGTERM', () => {
    const cmd = instructionsOf(runtime, 'CMD').pop();
    expect(execForm(cmd?.args ?? '')?.length).toBeGreaterThan(0);
    for (const entrypoint of instructionsOf(runtime, 'ENTRYPOINT')) expect(execForm(entrypoint.args)).toBeDefined();
  });
});
