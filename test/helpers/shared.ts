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
  gate(t, `needs ${p} (the ../shared folder), which is missing`, 'STATIC_EMBED_REQUIRE_SHARED');
  return undefined;
}

/** A path relative to the repository; `../shared/…` paths (as golden manifests write them) go to SHARED_DIR. */
export function repoFile(rel: string): string {
  if (rel.startsWith('../shared/')) return join(SHARED_DIR, rel.slice('../shared/'.length));
  return join(REPO_ROOT, rel);
}

/**
 * Skips the test with a printed reason — or fails it when the env var `require` is '1' (CI sets
 * STATIC_EMBED_REQUIRE_SHARED and STATIC_EMBED_REQUIRE_BROWSER): in CI a gated test never skips.
 */
export function gate(t: TestContext, reason: string, require: string): void {
  if (process.env[require] === '1') throw new Error(`${reason}; ${require}=1 makes this a failure`);
  console.log(`# skipped: ${reason}`);
  t.skip(reason);
}

/** The benchmark models (434 MB of seeded numpy noise made from ../shared by make-bench-models.py; .ci/run builds them). */
export const BENCH_MODELS_DIR = resolve(process.env.STATIC_EMBED_BENCH_MODELS ?? '/tmp/bench-models');

/** Absolute path of a benchmark model folder, or undefined after skipping the test (fails instead in CI). */
export function benchModel(t: TestContext, name: string): string | undefined {
  const p = join(BENCH_MODELS_DIR, name);
  if (existsSync(join(p, 'modules.json')) || existsSync(join(p, 'config.json'))) return p;
  gate(
    t,
    `needs the benchmark model ${p} (bash .ci/run builds it; or PYTHON ../shared/tools/make-bench-models.py ${BENCH_MODELS_DIR})`,
    'STATIC_EMBED_REQUIRE_SHARED',
  );
  return undefined;
}
