import { parseRunArgs } from './run-args';

describe('parseRunArgs', () => {
  it('splits --env pairs from the command after --', () => {
    expect(parseRunArgs(['--env', 'NX_DAEMON=false', '--env', 'A=b=c', '--', 'nx', 'run-many', '-t', 'test'])).toEqual({
      env: { NX_DAEMON: 'false', A: 'b=c' },
      command: ['nx', 'run-many', '-t', 'test'],
    });
  });

  it('keeps flags after -- for the command', () => {
    expect(parseRunArgs(['--', 'jest', '--env', 'node']).command).toEqual(['jest', '--env', 'node']);
  });

  it('rejects anything else before --, and a missing command', () => {
    expect(() => parseRunArgs(['--verbose', '--', 'x'])).toThrow(/expected --env NAME=value/);
    expect(() => parseRunArgs(['--env', 'not-a-pair', '--', 'x'])).toThrow(/expected --env NAME=value/);
    expect(() => parseRunArgs(['--env', 'A=1'])).toThrow(/no command/);
  });
});
