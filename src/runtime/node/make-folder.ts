/** Creates a folder and its missing parents, one non-recursive mkdir at a time. See ARCHITECTURE.md, "CLI rules". */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** The folders of `path` that do not exist yet, top first (a part that is a file stops the walk: mkdir reports it). */
export function missingFolders(path: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(path); ;) {
    try {
      statSync(p);
      return missing;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
    }
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) return missing;
    p = up;
  }
}

/** mkdir -p: creates `path` and its missing parents; an existing folder is fine. */
export function makeFolder(path: string): void {
  for (const folder of missingFolders(path)) {
    try {
      mkdirSync(folder);
    } catch (e) {
      // created meanwhile (another process): fine if it is a folder
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw e;
    }
  }
}
