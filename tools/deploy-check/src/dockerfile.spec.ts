import { envOf, execForm, exposedPorts, healthcheckCommand, instructionsOf, parseDockerfile } from './dockerfile';

const text = [
  '# syntax comment',
  'ARG BASE=node:22',
  'FROM --platform=linux/amd64 node:22 AS build',
  'RUN npm ci && \\',
  '  # a comment inside a continuation',
  '  npx nx build x',
  'FROM node:22-slim',
  'ENV A=1 B="two words"',
  'ENV LEGACY some value',
  'EXPOSE 9000/tcp',
  'HEALTHCHECK --interval=5s \\',
  '  CMD ["node", "-e", "check(\'/healthz\')"]',
  'CMD node main.js',
].join('\n');

describe('parseDockerfile', () => {
  const stages = parseDockerfile(text);
  const [build, runtime] = stages;

  it('splits stages at FROM, with their names, and joins continuation lines without their comments', () => {
    expect(stages.map((s) => [s.from, s.name])).toEqual([
      ['node:22', 'build'],
      ['node:22-slim', undefined],
    ]);
    const runs = build ? instructionsOf(build, 'RUN').map((r) => r.args.replace(/\s+/g, ' ')) : [];
    expect(runs).toEqual(['npm ci && npx nx build x']);
  });

  it('reads ENV in both forms, EXPOSE, and what HEALTHCHECK runs', () => {
    if (!runtime) throw new Error('no runtime stage');
    expect(envOf(runtime)).toEqual({ A: '1', B: 'two words', LEGACY: 'some value' });
    expect(exposedPorts(runtime)).toEqual([9000]);
    expect(healthcheckCommand(instructionsOf(runtime, 'HEALTHCHECK')[0]?.args ?? '')).toBe("node -e check('/healthz')");
  });

  it('tells the exec form from the shell form', () => {
    expect(execForm('["node", "main.js"]')).toEqual(['node', 'main.js']);
    expect(execForm('node main.js')).toBeUndefined();
  });
});
