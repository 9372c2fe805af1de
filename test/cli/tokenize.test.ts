/** `static-embed tokenize` as a user runs it: files, jsonl, stdin, --special, errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoFile } from '../helpers/shared.js';

const tokPath = repoFile('test/fixtures/tokenizers/wordpiece-custom.json');
const dir = mkdtempSync(join(tmpdir(), 'se-tok-'));

test('tokenize a text file to a jsonl file: one {"ids"} line per input line, in order', async () => {
  const input = join(dir, 'in.txt');
  const output = join(dir, 'out.jsonl');
  writeFileSync(input, 'Hello world\n\nNew York is big\n');
  const r = await runCli(['tokenize', '--model', tokPath, '--input', input, '--output', output]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(output, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { ids: number[] });
  assert.equal(lines.length, 3);
  assert.deepEqual(lines[1], { ids: [] });
  assert.ok(lines[0]!.ids.length > 0);
});

test('jsonl input, stdin, and --special', async () => {
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, '{"text": "hello"}\n{"text": "world"}\n');
  const a = await runCli(['tokenize', '--model', tokPath, '--input', input]);
  const b = await runCli(['tokenize', '--model', tokPath], 'hello\nworld\n');
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  const s = await runCli(['tokenize', '--model', tokPath, '--input', input, '--special']);
  const plain = JSON.parse(a.stdout.split('\n')[0]!) as { ids: number[] };
  const special = JSON.parse(s.stdout.split('\n')[0]!) as { ids: number[] };
  assert.ok(special.ids.length >= plain.ids.length);
});

test('errors are clear: missing model, bad jsonl line, unknown option', async () => {
  const r1 = await runCli(['tokenize', '--input', '-'], 'hello\n'); // no --model: the embedded default model
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stdout, /^\{"ids":\[\d+/);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"text": "ok"}\n{"txt": "no"}\n');
  const r2 = await runCli(['tokenize', '--model', tokPath, '--input', bad]);
  assert.equal(r2.code, 2);
  assert.match(r2.stderr, /bad\.jsonl:2: expected an object with a string "text" field/);
  const r3 = await runCli(['tokenize', '--model', tokPath, '--bogus']);
  assert.equal(r3.code, 2);
  assert.match(r3.stderr, /unknown option --bogus/);
  const r4 = await runCli(['tokenize', '--model', join(dir, 'nope')]);
  assert.equal(r4.code, 2);
  assert.match(r4.stderr, /No file or folder/);
});
