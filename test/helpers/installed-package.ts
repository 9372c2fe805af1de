/**
 * The package as a user installs it, for consumer tests: package.json and dist/src copied into
 * <tmp>/node_modules/static-embed (a copy, not a symlink, so that nothing resolves into this checkout's own
 * node_modules, e.g. its @types/node), next to an empty consumer project folder.
 */
import { cpSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export function installedPackage(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `se-${prefix}-`));
  const pkg = join(dir, 'node_modules', 'static-embed');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  cpSync(join(REPO_ROOT, 'package.json'), join(pkg, 'package.json'));
  cpSync(join(REPO_ROOT, 'dist', 'src'), join(pkg, 'dist', 'src'), {
    recursive: true,
    filter: (p) => !p.endsWith('.map'),
  });
  return dir;
}
