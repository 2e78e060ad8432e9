import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';

/** The first executable file called `name` in a PATH-style list of directories, like `command -v` does. */
export function findOnPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here: keep looking
    }
  }
  return undefined;
}
