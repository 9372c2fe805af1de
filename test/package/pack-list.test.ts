/** What `npm pack` puts in the package: the code, the embedded model with its card and licence, docs, samples. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/shared.js';

/** The package's files, as `npm pack --dry-run` lists them (from the dist/ `npm test` has just built). */
function packList(): string[] {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path).sort();
}

const MODEL_FILES = [
  '0_StaticEmbedding/model.safetensors',
  '0_StaticEmbedding/tokenizer.json',
  'LICENSE',
  'README.md',
  'config_sentence_transformers.json',
  'modules.json',
].map((f) => `models/default/${f}`);

test('the package holds the code, the model, its card and licence, the docs and the samples: nothing else', () => {
  const files = packList();
  const docs = readdirSync(join(REPO_ROOT, 'docs')).map((f) => `docs/${f}`);
  const samples = readdirSync(join(REPO_ROOT, 'examples', 'data')).map((f) => `examples/data/${f}`);
  const fixed = ['LICENSE', 'README.md', 'package.json', 'bin/static-embed.js', ...MODEL_FILES, ...docs, ...samples];
  const code = /^dist\/src\/.+\.(js|d\.ts|js\.map)$|^dist\/cli\/[\w-]+\.js$/; // tsc's output, the CLI bundle
  const other = files.filter((f) => !fixed.includes(f) && !code.test(f));
  assert.deepEqual(other, [], 'files that are neither code nor the model, its card, docs or samples');
  for (const f of fixed) assert.ok(files.includes(f), `${f} is in the package`);
  assert.ok(!files.some((f) => /logs\/|eval-results|data-stats/.test(f)), 'no training logs or build records');
  assert.ok(!files.some((f) => f.startsWith('dist/test/') || f.startsWith('src/')), 'no tests or TypeScript sources');
});

test('every source map in the package carries the sources it points to (the .ts files are not shipped)', () => {
  const maps = packList().filter((f) => f.endsWith('.map'));
  assert.ok(maps.length > 0);
  for (const m of maps) {
    const map = JSON.parse(readFileSync(join(REPO_ROOT, m), 'utf8')) as {
      sources: string[];
      sourcesContent?: string[];
    };
    assert.equal(map.sourcesContent?.length, map.sources.length, `${m}: sourcesContent for every source`);
    assert.ok(
      map.sourcesContent.every((c) => typeof c === 'string' && c.length > 0),
      `${m}: sources embedded`,
    );
    assert.ok(existsSync(join(REPO_ROOT, m.replace(/\.map$/, ''))), `${m}: its script ships too`);
  }
});
