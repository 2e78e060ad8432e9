import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseState, readState, removeState, writeState, type StackState } from './state';

const state: StackState = {
  version: 1,
  startedAt: '2026-11-22T00:40:15.334Z',
  startedBy: 'user',
  kafka: {
    pid: 13368,
    argv: ['/usr/lib/jvm/java-17-openjdk-amd64/bin/java', '-Xmx1g', 'kafka.Kafka', '/stack/kafka/server.properties'],
    logFile: '/stack/logs/kafka.log',
    port: 39092,
    controllerPort: 39093,
    clusterId: 'toKypzhraX8ZgQBayM5NUg',
    readyMs: 5442,
  },
  registry: {
    pid: 13369,
    argv: ['/usr/lib/jvm/temurin-25-jdk-amd64/bin/java', '-jar', '/stack/registry/quarkus-run.jar'],
    logFile: '/stack/logs/registry.log',
    port: 38081,
    managementPort: 38082,
  },
};

describe('stack state file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-stack-state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips through the file, leaving no temporary file behind', () => {
    const file = path.join(dir, 'state.json');
    writeState(file, state);
    expect(readState(file)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('reads a missing file as "no stack"', () => {
    expect(readState(path.join(dir, 'state.json'))).toBeUndefined();
    writeState(path.join(dir, 'state.json'), state);
    removeState(path.join(dir, 'state.json'));
    expect(readState(path.join(dir, 'state.json'))).toBeUndefined();
  });

  it('parses a state whose components are not ready yet', () => {
    const { readyMs: _ignored, ...starting } = state.kafka;
    expect(parseState(JSON.stringify({ ...state, kafka: starting })).kafka.readyMs).toBeUndefined();
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseState('{"version":1,')).toThrow(/not JSON/);
  });

  it('rejects a state of another version or with missing fields, naming the fields', () => {
    expect(() => parseState(JSON.stringify({ ...state, version: 2 }))).toThrow(/version/);
    const { pid: _pid, ...noPid } = state.registry;
    expect(() => parseState(JSON.stringify({ ...state, registry: noPid }))).toThrow(/registry\.pid/);
    expect(() => parseState(JSON.stringify({ ...state, startedBy: 'someone' }))).toThrow(/startedBy/);
  });
});
