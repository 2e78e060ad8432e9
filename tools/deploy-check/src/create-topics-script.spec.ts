import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { topicDeclarations, type TopicDeclaration } from '@meterline/schemas';
import { REGENERATE_COMMAND, renderCreateTopicsScript, shellWord } from './create-topics-script';
import { DEPLOY_FILES, readRepoFile, repoPath } from './repo';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'create-topics-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs a create-topics script with a stand-in for kafka-topics.sh that records its arguments, one invocation per
 * line (arguments separated by the ASCII unit separator), and returns them.
 */
function recordedInvocations(script: string, env: Record<string, string> = {}): string[][] {
  const record = path.join(dir, 'calls');
  const fake = path.join(dir, 'kafka-topics.sh');
  const recorder = ['#!/usr/bin/env bash', `printf '%s\\x1f' "$@" >> "${record}"`, `printf '\\n' >> "${record}"`, ''];
  writeFileSync(fake, recorder.join('\n'), { mode: 0o755 });
  const result = spawnSync('bash', [script], {
    env: { PATH: process.env['PATH'] ?? '', KAFKA_TOPICS: fake, BOOTSTRAP_SERVER: 'kafka:19092', ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`${script} exited ${result.status}: ${result.stderr}`);
  return readFileSync(record, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\x1f').slice(0, -1));
}

/** What a kafka-topics.sh invocation asks for, read back from its arguments. */
function requested(args: readonly string[]): TopicDeclaration & { flags: string[] } {
  const valueOf = (flag: string) => args[args.indexOf(flag) + 1] ?? '';
  const configs = args.flatMap((a, i) => (args[i - 1] === '--config' ? [a] : []));
  return {
    name: valueOf('--topic'),
    partitions: Number(valueOf('--partitions')),
    configs: Object.fromEntries(configs.map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)])),
    flags: [
      valueOf('--bootstrap-server'),
      valueOf('--replication-factor'),
      ...args.filter((a) => a === '--create' || a === '--if-not-exists'),
    ],
  };
}

describe('deploy/kafka/create-topics.sh', () => {
  it('is up to date with topicDeclarations()', () => {
    if (readRepoFile(DEPLOY_FILES.createTopics) !== renderCreateTopicsScript(topicDeclarations())) {
      throw new Error(`${DEPLOY_FILES.createTopics} is stale: the topic catalog changed. Run: ${REGENERATE_COMMAND}`);
    }
  });

  it('creates, if missing, every topic and dead-letter topic with its partitions and configs', () => {
    const calls = recordedInvocations(repoPath(DEPLOY_FILES.createTopics)).map(requested);
    expect(calls.map(({ flags: _flags, ...topic }) => topic)).toEqual(topicDeclarations());
    for (const call of calls) expect(call.flags).toEqual(['kafka:19092', '1', '--create', '--if-not-exists']);
  });

  it('takes the replication factor from the environment', () => {
    const calls = recordedInvocations(repoPath(DEPLOY_FILES.createTopics), { REPLICATION_FACTOR: '3' }).map(requested);
    for (const call of calls) expect(call.flags[1]).toBe('3');
  });
});

describe('renderCreateTopicsScript', () => {
  it('quotes a name or config value bash would otherwise split or expand', () => {
    const odd: TopicDeclaration = { name: "odd topic's", partitions: 2, configs: { 'x.y': '$HOME *' } };
    const script = path.join(dir, 'create-topics.sh');
    writeFileSync(script, renderCreateTopicsScript([odd]));
    expect(recordedInvocations(script).map(requested).map(({ flags: _flags, ...topic }) => topic)).toEqual([odd]);
  });

  it('leaves plain words bare', () => {
    expect(shellWord('retention.ms=-1')).toBe('retention.ms=-1');
    expect(shellWord('a b')).toBe("'a b'");
  });
});
