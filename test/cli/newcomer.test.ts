/** What a first hour with the CLI runs into: a misspelled model name, search's numbering in --json, counts in words. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { count } from '../../src/cli/io/plural.js';
import { suggestModel } from '../../src/cli/model-suggest.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-newcomer-'));
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(dir, 'my-model', p)), { recursive: true });
  writeFileSync(join(dir, 'my-model', p), b);
}
writeFileSync(join(dir, 'corpus.txt'), 'hello world\n\ngood day\nhello hello\n');

test('a misspelled --model: "did you mean" with the embedded names and the folders here', async () => {
  for (const cmd of [['similarity', 'a', 'b'], ['encode', '--input', 'corpus.txt'], ['info']]) {
    const r = await runCli([...cmd, '--model', 'static-embed-defualt'], undefined, undefined, dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\[NOT_FOUND\]: .*Did you mean --model static-embed-default\?$/m);
    assert.doesNotMatch(r.stderr, / {4}at /);
  }
  const r = await runCli(['info', '--model', 'my-modle'], undefined, undefined, dir);
  assert.match(r.stderr, /Did you mean --model my-model\?/);
  assert.equal(suggestModel('static-embed-defualt'), 'static-embed-default');
  assert.equal(suggestModel(join(dir, 'my-mdoel')), join(dir, 'my-model'));
  assert.equal(suggestModel('completely-different-name'), undefined);
  const idx = await runCli(
    ['index', 'build', '--model', 'static-embed-defualt', '--input', 'corpus.txt', '--db', 'idx', '--quiet'],
    undefined,
    undefined,
    dir,
  );
  assert.equal(idx.code, 2, idx.stderr);
  assert.match(idx.stderr, /Did you mean --model static-embed-default\?/);
  const far = await runCli(['info', '--model', 'nothing-like-it'], undefined, undefined, dir);
  assert.doesNotMatch(far.stderr, /Did you mean/);
});

test('search --json: "line" is the [N] of the text output (corpus_id the 0-based index)', async () => {
  const args = ['search', '--model', 'my-model', '--corpus', 'corpus.txt', '--query', 'day', '--top-k', '3'];
  const text = await runCli(args, undefined, undefined, dir);
  assert.equal(text.code, 0, text.stderr);
  const shown = [...text.stdout.matchAll(/^\s+\d+\.\s+\S+\s+\[(\d+)\]/gm)].map((m) => Number(m[1]));
  const json = await runCli([...args, '--json'], undefined, undefined, dir);
  const hits = (JSON.parse(json.stdout) as Array<{ hits: Array<{ corpus_id: number; line: number }> }>)[0]!.hits;
  assert.deepEqual(
    hits.map((h) => h.line),
    shown,
  );
  assert.ok(hits.every((h) => h.corpus_id === h.line - 1));
  assert.ok(shown.includes(3), 'the blank line 2 counts: "good day" is line 3');
});

test('counts in words: 1 text, 2 texts, 1,024 rows', () => {
  assert.equal(count(1, 'text'), '1 text');
  assert.equal(count(2, 'text'), '2 texts');
  assert.equal(count(0, 'row'), '0 rows');
  assert.equal(count(1024, 'row'), '1,024 rows');
  assert.equal(count(1, 'class', 'classes'), '1 class');
});
