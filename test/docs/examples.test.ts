/** Every `@example` of src/ type-checks against the package and runs, as the docs' code blocks do. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleBlocks, inOrder, promisedOutput, toModule, typeErrors } from '../helpers/doc-blocks.js';
import { REPO_ROOT } from '../helpers/shared.js';

const PUBLIC = [
  'StaticModel',
  'VectorIndex',
  'Tokenizer',
  'EmbeddingHandler',
  'serveNode',
  'StaticEmbeddings',
  'staticEmbedding',
  'buildStore',
  'staticEmbedFunction',
];

test('the public classes and functions have an @example', () => {
  const blocks = exampleBlocks();
  const documented = new Set(blocks.map((b) => b.declares));
  assert.deepEqual(
    PUBLIC.filter((name) => !documented.has(name)),
    [],
  );
});

test('every @example of src/ type-checks against the package (strict)', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(REPO_ROOT, 'dist', 'examples-types-'));
  try {
    const where = new Map<string, string>();
    for (const b of exampleBlocks()) {
      const file = join(dir, `${b.page.replace(/\W/g, '-')}-${b.line}.mts`);
      writeFileSync(file, b.code + '\nexport {};\n');
      where.set(file, `${b.page}:${b.line}`);
    }
    const errors = typeErrors([...where.keys()]).map((e) => e.replace(/^(\S+\.mts)/, (f) => where.get(f) ?? f));
    assert.deepEqual(errors, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every @example of src/ runs and prints what it promises', { timeout: 900_000 }, async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'examples-hf-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HF_HOME: home,
    HF_HUB_CACHE: join(home, 'hub'),
    HF_HUB_OFFLINE: '1',
  };
  delete env.HF_TOKEN;
  try {
    for (const b of exampleBlocks())
      await t.test(`${b.page}:${b.line}`, () => {
        // a fresh folder (in the package, so `static-embed` resolves to it) with the sample files
        const dir = mkdtempSync(join(REPO_ROOT, 'dist', 'examples-run-'));
        try {
          cpSync(join(REPO_ROOT, 'examples', 'data'), join(dir, 'examples', 'data'), { recursive: true });
          const file = join(dir, 'example.mjs');
          writeFileSync(file, toModule(b.code));
          const r = spawnSync(process.execPath, [file], { cwd: dir, env, encoding: 'utf8', timeout: 180_000 });
          assert.equal(r.status, 0, `${b.page}:${b.line} exited with ${r.status}\n${r.stderr}`);
          const missing = inOrder(r.stdout.split('\n'), promisedOutput(b.code));
          assert.equal(missing, undefined, `${b.page}:${b.line} did not print "${missing}"; it printed:\n${r.stdout}`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
