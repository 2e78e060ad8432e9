import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fatalError } from '@meterline/stream';
import { withInstallLock } from './install-lock';
import type { FakesnowLayout } from './layout';

/** Runs a command to completion; resolves with its output, or fails with the output's end when it exits non-zero. */
function run(command: string, args: readonly string[], what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        fatalError('FAKESNOW_INSTALL_FAILED', `${what}: ${err.code === 'ENOENT' ? `${command} not found (python3 >= 3.11 with venv and pip is needed)` : err.message}`, { cause: err }),
      ),
    );
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve(output);
      const tail = output.trim().split('\n').slice(-25).join('\n    ');
      reject(fatalError('FAKESNOW_INSTALL_FAILED', `${what} failed (${signal ?? `exit ${code}`}):\n    ${tail}`));
    });
  });
}

/**
 * What a complete install holds: the pins, hashed. Which python3 built the venv does not enter it: under nx and in a
 * shell the first python3 on PATH can differ (pyenv's or Debian's), and either serves. A venv whose interpreter no
 * longer runs (its base Python removed) is rebuilt too, see `usable`.
 */
const installId = (layout: FakesnowLayout): string => createHash('sha256').update(readFileSync(layout.requirements)).digest('hex');

/** The venv's interpreter starts (a few milliseconds): its base Python is still there. */
const usable = (layout: FakesnowLayout): boolean =>
  existsSync(layout.python) && spawnSync(layout.python, ['-c', 'pass'], { stdio: 'ignore', timeout: 30_000 }).status === 0;

const installedId = (layout: FakesnowLayout): string | undefined => {
  try {
    return (JSON.parse(readFileSync(layout.marker, 'utf8')) as { id?: string }).id;
  } catch {
    return undefined;
  }
};

/**
 * Makes sure `.cache/fakesnow/venv` holds the pinned fakesnow: built with `python3 -m venv` and pip (from PyPI) when
 * missing or outdated, about a minute; a no-op otherwise. The marker is written last, so an interrupted install is
 * never taken for a complete one.
 */
export async function ensureVenv(layout: FakesnowLayout, log: (line: string) => void): Promise<void> {
  const id = installId(layout);
  if (installedId(layout) === id && usable(layout)) return;
  await withInstallLock(
    layout.lockFile,
    async () => {
      if (installedId(layout) === id && usable(layout)) return;
      const started = Date.now();
      const found = installedId(layout);
      const why = found === undefined ? 'none there' : found === id ? 'its python does not start' : 'the pins changed';
      log(`building the fakesnow venv in ${layout.venv}, ${why} (pip install from PyPI: about a minute)`);
      rmSync(layout.venv, { recursive: true, force: true });
      await run('python3', ['-m', 'venv', layout.venv], 'python3 -m venv');
      await run(
        layout.python,
        ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-r', layout.requirements],
        'pip install -r tools/fakesnow/python/requirements.txt',
      );
      writeFileSync(layout.marker, `${JSON.stringify({ id })}\n`);
      log(`fakesnow venv ready in ${Math.round((Date.now() - started) / 1000)} s`);
    },
    () => log('waiting for another process building the fakesnow venv'),
  );
}
