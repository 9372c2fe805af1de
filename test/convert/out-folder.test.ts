/**
 * convert's --out folder and the card of a copy: a non-empty folder is refused unless --overwrite (which replaces the
 * model files and keeps other files, also converting a folder into itself); the card names the source without the
 * converting machine's paths; its library_name is the library that reads the copy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StaticModel, modelFiles, type SaveDtype, type SaveLayout } from '../../src/index.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { libraryName } from '../../src/transform/save.js';
import { modelSourceName } from '../../src/cli/model-arg.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

function tinyFolder(parent: string, name: string): string {
  const dir = join(parent, name);
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
  writeFileSync(join(dir, 'README.md'), '---\nlicense: mit\n---\n\n# org/tiny-model\n\nA tiny model.\n');
  return dir;
}

const card = (dir: string) => readFileSync(join(dir, 'README.md'), 'utf8');

describe('convert --out', () => {
  const root = mkdtempSync(join(tmpdir(), 'se-out-'));
  const src = tinyFolder(root, 'src');
  const out = join(root, 'out');

  test('writes a new folder or an empty one', async () => {
    // a new folder, then an empty one: written
    assert.equal((await runCli(['convert', '--model', src, '--out', out])).code, 0);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const e = await runCli(['convert', '--model', src, '--out', empty]);
    assert.equal(e.code, 0, e.stderr);
  });

  test('refuses a non-empty folder (exit 2, the folder and the fix), changing nothing', async () => {
    // the same --out again: refused, nothing changed
    const before = readFileSync(join(out, '0_StaticEmbedding', 'model.safetensors'));
    const r = await runCli(['convert', '--model', src, '--out', out, '--dtype', 'int8']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^static-embed convert: error \\[INVALID_ARGUMENT\\]: --out ${out} is not empty \\(.*\\): .*Choose another --out folder, or pass --overwrite`,
      ),
    );
    assert.deepEqual(readFileSync(join(out, '0_StaticEmbedding', 'model.safetensors')), before);
  });

  test('refuses a file', async () => {
    // a file is not a folder
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const f = await runCli(['convert', '--model', src, '--out', file]);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /--out .*a-file is a file, not a folder/);
  });

  test("--overwrite replaces the model files, in another layout, and keeps the user's", async () => {
    // --overwrite, into another layout: no file of the old layout stays; the user's own file does
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const o = await runCli(['convert', '--model', src, '--out', out, '--layout', 'model2vec', '--overwrite']);
    assert.equal(o.code, 0, o.stderr);
    assert.deepEqual(readdirSync(out).sort(), [
      'README.md',
      'config.json',
      'model.safetensors',
      'notes.txt',
      'tokenizer.json',
    ]);
    assert.equal(readFileSync(join(out, 'notes.txt'), 'utf8'), 'mine');
    assert.equal(loadModelFolder(out).info().layout, 'model2vec');
  });

  test('a folder converted into itself keeps its source and the chain in its card', async () => {
    // a folder converted into itself (the model and its card are read before the files are replaced)
    const self = await runCli(['convert', '--model', out, '--out', out, '--dtype', 'int8', '--overwrite']);
    assert.equal(self.code, 0, self.stderr);
    assert.equal(loadModelFolder(out).info().dtype, 'I8+scales');
    // its card keeps the original source (not itself) and the chain of transformations
    assert.match(card(out), /^- Source: org\/tiny-model \(local folder "src"\)$/m);
    assert.match(
      card(out),
      /^1\. stored the table as float32\n2\. stored the table as int8 with one float32 scale per row$/m,
    );
    const a = loadModelFolder(src).encode(['hello world']),
      b = loadModelFolder(out).encode(['hello world']);
    for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i]! - b.data[i]!) < 0.05);
  });
});

test("a copy's card names its source without the converting machine's paths", async () => {
  const root = mkdtempSync(join(tmpdir(), 'se-src-'));
  // the embedded default model: its name, never the package's absolute path
  const d = join(root, 'default-copy');
  const r = await runCli(['convert', '--dim', '32', '--dtype', 'float16', '--out', d]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(card(d), /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  // a local folder: its card's title (its model id) and its base name; a folder without a card: its base name
  const src = tinyFolder(root, 'tiny');
  const c = join(root, 'copy');
  assert.equal((await runCli(['convert', '--model', src, '--out', c])).code, 0);
  assert.match(card(c), /^- Source: org\/tiny-model \(local folder "tiny"\)$/m);
  const bare = tinyFolder(root, 'bare');
  writeFileSync(join(bare, 'README.md'), 'no title here\n');
  assert.equal(modelSourceName(bare), 'local folder "bare"');
  // no file of any copy holds a path of this machine
  for (const dir of [d, c])
    for (const [rel, bytes] of Object.entries(filesUnder(dir))) {
      const text = Buffer.from(bytes).toString('latin1');
      for (const path of [root, DEFAULT_MODEL_PATH, tmpdir()])
        assert.ok(!text.includes(path), `${dir}/${rel} holds the path ${path}`);
    }
  // a Hub id (no such folder here) is recorded as given
  assert.equal(
    modelSourceName('sentence-transformers/static-similarity-mrl-multilingual-v1'),
    'sentence-transformers/static-similarity-mrl-multilingual-v1',
  );
});

function filesUnder(dir: string, prefix = ''): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) Object.assign(out, filesUnder(dir, rel));
    else out[rel] = readFileSync(join(dir, rel));
  }
  return out;
}

test('library_name of a copy: the library that reads it (static-embed for int8)', () => {
  const model = StaticModel.fromBytes(new Map(Object.entries(tinyModelFiles()).map(([k, v]) => [k, v] as const)));
  const expected: Record<SaveLayout, Record<SaveDtype, string>> = {
    'sentence-transformers': {
      float32: 'sentence-transformers',
      float16: 'sentence-transformers',
      bfloat16: 'sentence-transformers',
      int8: 'static-embed',
    },
    model2vec: { float32: 'model2vec', float16: 'model2vec', bfloat16: 'static-embed', int8: 'static-embed' },
  };
  for (const layout of ['sentence-transformers', 'model2vec'] as const)
    for (const dtype of ['float32', 'float16', 'bfloat16', 'int8'] as const) {
      assert.equal(libraryName(layout, dtype), expected[layout][dtype], `${layout} ${dtype}`);
      const text = new TextDecoder().decode(modelFiles(model, { layout, dtype }).get('README.md'));
      assert.match(text, new RegExp(`^---\\nlibrary_name: ${expected[layout][dtype]}\\n`), `${layout} ${dtype}`);
      const loads = /^- Loads in: (.+)$/m.exec(text)![1]!.split(', ');
      assert.equal(loads[0], 'static-embed');
      assert.ok(loads.includes(expected[layout][dtype]), `${layout} ${dtype}: ${loads.join(', ')}`);
      // int8 tables: static-embed only (the other libraries refuse the file)
      if (dtype === 'int8') assert.deepEqual(loads, ['static-embed']);
    }
});
