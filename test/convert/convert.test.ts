/** Saving and converting: round trips for every dtype and layout, int8 scales, the 32-d fp16 derivative byte for byte. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  StaticModel,
  modelFiles,
  pruneVocabulary,
  quantizeVocabulary,
  type SaveDtype,
  type SaveLayout,
} from '../../src/index.js';
import { readSafetensors } from '../../src/formats/safetensors.js';
import { saveModel } from '../../src/runtime/node/fs.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { runCli } from '../helpers/cli.js';
import { licenceId } from '../../src/transform/save.js';
import { benchModel, repoFile, sharedFile } from '../helpers/shared.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const TEXTS = ['Hello world!', 'naïve café', '東京は日本の首都です。', '', 'Привет, как дела?', 'a'.repeat(300)];

test('save → load: float32 is exact, and every dtype and layout loads back to the same embeddings twice', (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return;
  const model = loadModelFolder(dir);
  const base = model.encode(TEXTS);
  for (const layout of ['sentence-transformers', 'model2vec'] as SaveLayout[]) {
    for (const dtype of ['float32', 'float16', 'bfloat16', 'int8'] as SaveDtype[]) {
      const once = StaticModel.fromBytes(modelFiles(model, { layout, dtype }), { profile: 'sentence-transformers' });
      const twice = StaticModel.fromBytes(modelFiles(once, { layout, dtype }), { profile: 'sentence-transformers' });
      const a = once.encode(TEXTS),
        b = twice.encode(TEXTS);
      assert.ok(bytes(a.data).equals(bytes(b.data)), `${layout} ${dtype}: a second save/load changes nothing`);
      if (dtype === 'float32' || dtype === 'float16')
        assert.ok(bytes(a.data).equals(bytes(base.data)), `${layout} ${dtype}: same embeddings as the fp16 source`);
      else {
        let worst = 0;
        for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(a.data[i]! - base.data[i]!));
        assert.ok(worst < 0.05, `${layout} ${dtype}: close to the source (${worst})`);
      }
      assert.equal(once.info().layout, layout);
    }
  }
});

test('int8 tables: per-row scales, a tensor name other runtimes refuse, the model card says so', (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return;
  const files = modelFiles(loadModelFolder(dir), { dtype: 'int8', source: 'fixture' });
  const st = readSafetensors(files.get('0_StaticEmbedding/model.safetensors')!);
  assert.deepEqual([...st.tensors.keys()].sort(), ['int8_table', 'scales']);
  assert.equal(st.tensors.get('int8_table')!.dtype, 'I8');
  assert.deepEqual(st.tensors.get('scales')!.shape, [105879]);
  const card = new TextDecoder().decode(files.get('README.md'));
  assert.match(card, /Source: fixture/);
  assert.match(card, /refuse the file instead of\ncomputing wrong embeddings/);
});

test('convert --dim 32 --dtype float16 of the 1024-d benchmark model = the 32-d fp16 benchmark model, byte for byte', async (t) => {
  const src = benchModel(t, 'st-mbert-1024d-f32'),
    ref = benchModel(t, 'st-mbert-32d-f16');
  if (!src || !ref) return;
  const out = join(mkdtempSync(join(tmpdir(), 'se-conv-')), 'm');
  const r = await runCli(['convert', '--model', src, '--dim', '32', '--dtype', 'float16', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const ours = readSafetensors(readFileSync(join(out, '0_StaticEmbedding', 'model.safetensors'))).tensors.get(
    'embedding.weight',
  )!;
  const theirs = readSafetensors(readFileSync(join(ref, '0_StaticEmbedding', 'model.safetensors'))).tensors.get(
    'embedding.weight',
  )!;
  assert.equal(ours.dtype, 'F16');
  assert.ok(Buffer.from(ours.bytes).equals(Buffer.from(theirs.bytes)), 'identical table bytes');
});

test('static-embed convert as a user runs it: model2vec layout, --report, errors', async (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  const corpus = sharedFile(t, 'fixtures/bench-golden/texts.txt');
  if (!dir || !corpus) return;
  const out = join(mkdtempSync(join(tmpdir(), 'se-conv-')), 'm2v');
  const r = await runCli([
    'convert',
    '--model',
    dir,
    '--out',
    out,
    '--layout',
    'model2vec',
    '--dtype',
    'int8',
    '--dim',
    '8',
    '--report',
    corpus,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Wrote 4 files .* 105,879 × 8 int8/);
  assert.match(r.stdout, /Cosine to the original on \d[\d,]* texts: mean 0\.99\d+, p1 0\.9\d+, min 0\.9\d+/);
  assert.equal(loadModelFolder(out).info().layout, 'model2vec');
  const saved = saveModel(loadModelFolder(out), join(out, 'again'), {
    layout: 'sentence-transformers',
    dtype: 'float32',
  });
  assert.ok(saved.some((p) => p.endsWith('modules.json')));
  const bad = await runCli(['convert', '--model', dir, '--out', out, '--dtype', 'fp8']);
  assert.match(bad.stderr, /--dtype must be float32, float16, bfloat16 or int8/);
  const noOut = await runCli(['convert', '--model', dir]);
  assert.match(noOut.stderr, /--out DIR is required/);
});

test("pruning the vocabulary to a corpus keeps that corpus's embeddings identical, and the tokenizer valid", (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  const corpus = sharedFile(t, 'fixtures/bench-golden/texts.txt');
  if (!dir || !corpus) return;
  const texts = readFileSync(corpus, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const model = loadModelFolder(dir);
  const r = pruneVocabulary(model, texts);
  assert.ok(r.kept < 30_000 && r.kept + r.removed === 105_879, `kept ${r.kept}`);
  assert.ok(
    bytes(r.model.encode(texts).data).equals(bytes(model.encode(texts).data)),
    'identical embeddings on the pruning corpus',
  );
  // saved and loaded again (float16 table: the fixture's own precision) it is still identical
  const again = StaticModel.fromBytes(modelFiles(r.model, { dtype: 'float16' }));
  assert.ok(bytes(again.encode(texts).data).equals(bytes(model.encode(texts).data)));
  // special tokens survive, renumbered consistently
  const literal = [...again.tokenizer.encode('[CLS] hello [SEP]')];
  assert.equal(literal[0], again.tokenizer.tokenToId('[CLS]'));
  assert.equal(literal[literal.length - 1], again.tokenizer.tokenToId('[SEP]'));
  const withSpecial = again.tokenizer.encode('hello', { addSpecialTokens: true });
  assert.equal(withSpecial[0], again.tokenizer.tokenToId('[CLS]'));
  assert.equal(withSpecial[withSpecial.length - 1], again.tokenizer.tokenToId('[SEP]'));
  const min2 = pruneVocabulary(model, texts, 2);
  assert.ok(min2.kept < r.kept);
  assert.throws(
    () => pruneVocabulary(StaticModel.fromBytes(modelFiles(model), {}), texts, 0),
    /minCount must be a positive integer/,
  );
});

test("vocabulary quantization (model2vec's scheme): seeded, saves and reloads identically in the model2vec layout", (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return;
  const model = loadModelFolder(dir);
  const q = quantizeVocabulary(model, 64, 7);
  assert.equal(q.tableRows, 64);
  assert.equal(q.mapping!.length, 105_879);
  const reloaded = StaticModel.fromBytes(modelFiles(q, { layout: 'model2vec' }), { profile: 'sentence-transformers' });
  assert.equal(reloaded.info().vocabularyQuantized, true);
  assert.ok(bytes(reloaded.encode(TEXTS).data).equals(bytes(q.encode(TEXTS).data)));
  assert.ok(
    bytes(quantizeVocabulary(model, 64, 7).encode(TEXTS).data).equals(bytes(q.encode(TEXTS).data)),
    'the same seed gives the same model',
  );
  assert.throws(() => modelFiles(q, { layout: 'sentence-transformers' }), /only be saved in the model2vec layout/);
  assert.throws(() => quantizeVocabulary(model, 1), /from 2 to/);
});

test('convert --eval --quick prints the scores before and after', { timeout: 120_000 }, async (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  const data = sharedFile(t, 'eval');
  if (!dir || !data) return;
  const out = join(mkdtempSync(join(tmpdir(), 'se-conv-')), 'e');
  const r = await runCli([
    'convert',
    '--model',
    dir,
    '--dtype',
    'int8',
    '--out',
    out,
    '--eval',
    '--quick',
    '--data',
    data,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\| STSBenchmarkMultilingualSTS \| test \| 0\.\d{4} \| 0\.\d{4} \| -?\d+\.\d\d% \|/);
});

test("convert carries a local source's licence: the card's license id and the LICENSE file (the embedded model's CC BY-SA 4.0)", async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'se-cvl-')), 'm');
  const r = await runCli(['convert', '--dim', '32', '--dtype', 'float16', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const card = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(card, /^---\nlicense: cc-by-sa-4\.0\n/);
  assert.match(
    card,
    /## Licence\n\nA derivative of the source model, under its licence \(cc-by-sa-4\.0\): see LICENSE/,
  );
  assert.deepEqual(readFileSync(join(out, 'LICENSE')), readFileSync(repoFile('models/default/LICENSE')));
  // a copy of the copy keeps it
  const plain = join(mkdtempSync(join(tmpdir(), 'se-cvl-')), 'p');
  const r2 = await runCli(['convert', '--model', out, '--out', plain]);
  assert.equal(r2.code, 0, r2.stderr);
  assert.match(readFileSync(join(plain, 'README.md'), 'utf8'), /^---\nlicense: cc-by-sa-4\.0\n/);
  assert.equal(licenceId('---\nlibrary_name: x\n---\n'), undefined);
  assert.equal(licenceId('---\nlicense: "apache-2.0"\n---\n# x'), 'apache-2.0');
  assert.equal(licenceId('# no front matter\nlicense: mit'), undefined);
});
