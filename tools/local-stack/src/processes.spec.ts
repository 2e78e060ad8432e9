import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isPidAlive, isSameProcess, readCommandLine, residentBytes, spawnDetached, stopProcess } from './processes';

describe('detached processes', () => {
  let dir: string;
  const started: { pid: number; argv: string[] }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'local-stack-proc-'));
  });
  afterEach(async () => {
    for (const p of started.splice(0)) await stopProcess(p.pid, p.argv, 100);
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(script: string): Promise<{ pid: number; argv: string[]; logFile: string }> {
    const argv = [process.execPath, '-e', script, `marker-${Math.random()}`];
    const logFile = path.join(dir, 'out.log');
    const pid = await spawnDetached(argv, { cwd: dir, logFile });
    started.push({ pid, argv });
    return { pid, argv, logFile };
  }

  it('starts a process in its own session, recognisable by its exact command line, logging to a file', async () => {
    const p = await start('console.log("hello from " + process.pid); setInterval(() => {}, 1000)');
    expect(isSameProcess(p.pid, p.argv)).toBe(true);
    expect(isSameProcess(p.pid, [...p.argv.slice(0, -1), 'other'])).toBe(false);
    expect(readCommandLine(p.pid)).toBe(p.argv.join(' '));
    expect(residentBytes(p.pid)).toBeGreaterThan(1024 * 1024);
    // setsid: the child leads a new session, so the terminal's Ctrl-C does not reach it.
    const sessionId = Number(readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[3]);
    expect(sessionId).toBe(p.pid);
    for (let i = 0; i < 50 && !readFileSync(p.logFile, 'utf8').includes('hello'); i++) await sleep(20);
    expect(readFileSync(p.logFile, 'utf8')).toContain(`hello from ${p.pid}`);
  });

  it('stops a process with SIGTERM', async () => {
    const p = await start('setInterval(() => {}, 1000)');
    await expect(stopProcess(p.pid, p.argv)).resolves.toBe('stopped');
    expect(isSameProcess(p.pid, p.argv)).toBe(false);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const p = await start('process.on("SIGTERM", () => {}); console.log("armed"); setInterval(() => {}, 1000)');
    for (let i = 0; i < 100 && !readFileSync(p.logFile, 'utf8').includes('armed'); i++) await sleep(20);
    await expect(stopProcess(p.pid, p.argv, 300)).resolves.toBe('killed');
  });

  it('leaves alone a pid that now runs another command line', async () => {
    const p = await start('setInterval(() => {}, 1000)');
    await expect(stopProcess(p.pid, ['java', 'kafka.Kafka'])).resolves.toBe('not-running');
    expect(isSameProcess(p.pid, p.argv)).toBe(true);
  });

  it('reports the liveness of a pid', async () => {
    const p = await start('setTimeout(() => {}, 100)');
    expect(isPidAlive(p.pid)).toBe(true);
    expect(isPidAlive(process.pid)).toBe(true);
    await stopProcess(p.pid, p.argv);
    for (let i = 0; i < 100 && isPidAlive(p.pid); i++) await sleep(20);
    expect(isPidAlive(p.pid)).toBe(false);
  });

  it('rejects when the program does not exist', async () => {
    await expect(spawnDetached([path.join(dir, 'no-such-java')], { cwd: dir, logFile: path.join(dir, 'x.log') })).rejects.toThrow(
      /ENOENT/,
    );
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
