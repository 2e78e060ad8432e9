import * as path from 'node:path';

const TOOL_DIR = path.resolve(__dirname, '..');
const WORKSPACE_ROOT = path.resolve(TOOL_DIR, '..', '..');

/** Where the fake lives: its pins and adapter beside this code, its venv in the repository's git-ignored cache. */
export interface FakesnowLayout {
  /** The pinned Python packages: fakesnow and everything it needs. */
  readonly requirements: string;
  /** The ASGI wrapper that serves fakesnow to the Node snowflake-sdk. */
  readonly adapter: string;
  readonly cacheDir: string;
  readonly venv: string;
  readonly python: string;
  /** Written last by a complete install: what was installed, so a changed pin reinstalls. */
  readonly marker: string;
  readonly lockFile: string;
}

export function fakesnowLayout(cacheDir = path.join(WORKSPACE_ROOT, '.cache', 'fakesnow')): FakesnowLayout {
  const venv = path.join(cacheDir, 'venv');
  return {
    requirements: path.join(TOOL_DIR, 'python', 'requirements.txt'),
    adapter: path.join(TOOL_DIR, 'python', 'node_adapter.py'),
    cacheDir,
    venv,
    python: path.join(venv, 'bin', 'python'),
    marker: path.join(venv, 'meterline-installed.json'),
    lockFile: path.join(cacheDir, 'install.lock'),
  };
}
