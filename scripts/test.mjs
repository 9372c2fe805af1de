#!/usr/bin/env node
/**
 * `npm test`'s runner: every compiled test file (dist/test/**\/*.test.js, sorted) under node:test with the spec
 * reporter, in a private temporary folder (TMPDIR) that is removed afterwards, so the folders tests create with
 * mkdtemp never pile up in the system's /tmp. Exits with node:test's exit code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.js')) files.push(p);
  }
};
walk(join('dist', 'test'));
files.sort();
const tmp = mkdtempSync(join(tmpdir(), 'static-embed-tests-'));
let status = 1;
try {
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    // the vocabulary cache too (runtime/node/vocab-cache.ts): tests never read or fill the user's
    env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, STATIC_EMBED_CACHE: join(tmp, 'cache') },
  });
  status = r.status ?? 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(status);
