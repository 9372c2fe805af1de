/**
 * Access to ../shared (ground truth that must never be copied into the repo). A test that needs a file
 * from there calls `sharedFile(t, relPath)`: when the file is missing, the test is skipped with a printed
 * reason, or fails when STATIC_EMBED_REQUIRE_SHARED=1 (as in CI).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

function findRepoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test files');
    dir = up;
  }
  return dir;
}

export const REPO_ROOT = findRepoRoot();
export const SHARED_DIR = resolve(process.env.STATIC_EMBED_SHARED ?? join(REPO_ROOT, '..', 'shared'));
export const REQUIRE_SHARED = process.env.STATIC_EMBED_REQUIRE_SHARED === '1';

/** Absolute path of a file under ../shared, or undefined after skipping the test (fails instead in CI). */
export function sharedFile(t: TestContext, rel: string): string | undefined {
  const p = join(SHARED_DIR, rel);
  if (existsSync(p)) return p;
  const reason = `needs ${p} (the ../shared folder), which is missing`;
  if (REQUIRE_SHARED) throw new Error(`${reason}; STATIC_EMBED_REQUIRE_SHARED=1 makes this a failure`);
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
  return undefined;
}

export function repoFile(rel: string): string {
  return join(REPO_ROOT, rel);
}
