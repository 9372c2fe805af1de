/**
 * Every row equals the reference within 1e-5 (float32 accumulation): the synthetic 16-d fixture in both layouts,
 * the model2vec-rs models and our `convert --layout model2vec` folders against model2vec's own encode, and (when
 * built) the two benchmark models against ../shared/fixtures/bench-golden. Known, intended differences are pinned:
 * sentence-transformers and model2vec average fp16 tables in fp16 (≈1e-3 and ≈6e-4 off).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel } from '../../src/index.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { runCli } from '../helpers/cli.js';
import { assertClose, maxAbsDiff } from '../helpers/close.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { readNpy } from '../helpers/npy.js';
import { benchModel, repoFile, sharedFile } from '../helpers/shared.js';

const TOL = 1e-5;
type St = { id: number; embedding: number[]; embedding_truncate8: number[]; embedding_fp32_compute: number[] };
type M2v = { id: number; n_ids: number; mean: number[]; normalized: number[]; m2v: number[] };

function fixture(t: Parameters<typeof sharedFile>[0]) {
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const st = sharedFile(t, 'fixtures/synthetic-mbert-16d/expected_st.jsonl');
  const m2v = sharedFile(t, 'fixtures/synthetic-mbert-16d/expected_m2v.jsonl');
  if (!s || !st || !m2v) return undefined;
  return {
    texts: readJsonl<{ text: string }>(s).map((r) => r.text),
    st: readJsonl<St>(st),
    m2v: readJsonl<M2v>(m2v),
  };
}

test('synthetic 16-d fp16, sentence-transformers layout: every row equals sentence-transformers (fp32 compute) and the numpy mean', (t) => {
  const f = fixture(t);
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!f || !dir) return;
  const model = loadModelFolder(dir);
  assert.equal(model.info().profile, 'sentence-transformers');
  assert.equal(model.info().normalize, false);
  const e = model.encode(f.texts);
  const e8 = model.encode(f.texts, { truncateDim: 8 });
  const norm = model.encode(f.texts, { normalize: true });
  let fp16Diff = 0;
  for (let i = 0; i < f.texts.length; i++) {
    assertClose(e.row(i), f.st[i]!.embedding_fp32_compute, TOL, `row ${i} vs sentence-transformers fp32`);
    assertClose(e.row(i), f.m2v[i]!.mean, TOL, `row ${i} vs numpy mean`);
    assertClose(norm.row(i), f.m2v[i]!.normalized, TOL, `row ${i} normalized`);
    assertClose(e8.row(i), f.st[i]!.embedding_fp32_compute.slice(0, 8), TOL, `row ${i} truncate_dim=8`);
    assertClose(e8.row(i), f.st[i]!.embedding_truncate8, 2e-3, `row ${i} truncate_dim=8 vs fp16 compute`);
    fp16Diff = Math.max(fp16Diff, maxAbsDiff(e.row(i), f.st[i]!.embedding));
  }
  // intended difference: sentence-transformers averages an fp16 table in fp16; we accumulate in float32
  assert.ok(fp16Diff > 0 && fp16Diff < 2e-3, `fp16-compute difference ${fp16Diff} should be in (0, 2e-3)`);
});

test('synthetic 16-d fp16, model2vec layout: every row equals model2vec rules (drop [UNK], 512 cap, normalize)', (t) => {
  const f = fixture(t);
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/m2v-16d-fp16');
  if (!f || !dir) return;
  const model = loadModelFolder(dir);
  const info = model.info();
  assert.deepEqual([info.profile, info.normalize, info.dropUnk, info.maxLength], ['model2vec', true, true, 512]);
  const e = model.encode(f.texts);
  for (let i = 0; i < f.texts.length; i++)
    assertClose(e.row(i), f.m2v[i]!.m2v, TOL, `row ${i} (${JSON.stringify(f.texts[i]!.slice(0, 30))})`);
  // profiles are overridable: the same folder with sentence-transformers rules gives the plain mean
  const st = loadModelFolder(dir, { profile: 'sentence-transformers', normalize: false });
  const m = st.encode(f.texts);
  for (let i = 0; i < f.texts.length; i++) assertClose(m.row(i), f.m2v[i]!.mean, TOL, `row ${i} st profile`);
});

type M2vGolden = {
  source: string;
  dtype: string;
  output_dtype: string;
  normalize: boolean;
  rows: Record<string, number[]>;
  rows_native?: Record<string, number[]>;
  convert_args?: string[];
};
const { _model2vec: m2vVersion, ...m2vGolden } = JSON.parse(
  readFileSync(repoFile('test/golden/model2vec-rs.json'), 'utf8'),
) as { _model2vec: { version: string } } & Record<string, M2vGolden>;

// goldens from model2vec itself (scripts/make-model-goldens.py runs its StaticModel.from_pretrained + encode)
for (const [name, g] of Object.entries(m2vGolden)) {
  test(`model2vec ${m2vVersion.version}: ${name} — every row equals model2vec's own encode`, async (t) => {
    const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
    let dir: string | undefined;
    if (g.convert_args) {
      // a folder written by `static-embed convert --layout model2vec`, which model2vec loaded for the golden
      const src = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
      if (!src) return;
      dir = join(mkdtempSync(join(tmpdir(), 'se-m2v-')), name);
      const r = await runCli(['convert', '--model', src, '--out', dir, '--layout', 'model2vec', ...g.convert_args]);
      assert.equal(r.code, 0, r.stderr);
    } else dir = sharedFile(t, g.source);
    if (!dir || !s) return;
    const texts = readJsonl<{ id: number; text: string }>(s);
    const model = loadModelFolder(dir);
    assert.deepEqual([model.info().profile, model.normalize], ['model2vec', g.normalize]);
    const e = model.encode(texts.map((r) => r.text));
    texts.forEach((r, i) => assertClose(e.row(i), g.rows[String(r.id)]!, TOL, `${name} sentence ${r.id}`));
    if (g.rows_native) {
      // intended difference, pinned: model2vec averages a float16 table in float16 and returns float16; we
      // accumulate in float32 and equal its computation in float32 (the rows above)
      assert.equal(g.output_dtype, 'float16');
      let diff = 0;
      texts.forEach((r, i) => (diff = Math.max(diff, maxAbsDiff(e.row(i), g.rows_native![String(r.id)]!))));
      assert.ok(diff > TOL && diff <= 1e-3, `float16-compute difference ${diff} should be in (1e-5, 1e-3]`);
    }
  });
}

test("model2vec-rs float32 and vocabulary-quantized models equal Python model2vec's own outputs", (t) => {
  const f32 = sharedFile(t, 'fixtures/model2vec-rs/test-model-float32');
  const vq = sharedFile(t, 'fixtures/model2vec-rs/test-model-vocab-quantized');
  const short = sharedFile(t, 'fixtures/model2vec-rs/embeddings_short.json');
  const long = sharedFile(t, 'fixtures/model2vec-rs/embeddings_long.json');
  const vqe = sharedFile(t, 'fixtures/model2vec-rs/embeddings_vocab_quantized.json');
  if (!f32 || !vq || !short || !long || !vqe) return;
  const longText = Array(1000).fill('hello').join(' ');
  const read = (p: string) => (JSON.parse(readFileSync(p, 'utf8')) as number[][])[0]!;
  const m = loadModelFolder(f32);
  assertClose(m.encode(['hello world']).row(0), read(short), TOL, 'embeddings_short');
  assertClose(m.encode([longText]).row(0), read(long), TOL, 'embeddings_long');
  const q = loadModelFolder(vq);
  assert.equal(q.info().vocabularyQuantized, true);
  assertClose(q.encode([longText]).row(0), read(vqe), TOL, 'embeddings_vocab_quantized');
  // the sentence-transformers flat layout with the same weights gives the same embeddings
  const stFlat = sharedFile(t, 'fixtures/model2vec-rs/test-model-sentence-transformers');
  if (!stFlat) return;
  const a = m.encode(['hello', 'world test sentence']),
    b = loadModelFolder(stFlat).encode(['hello', 'world test sentence']);
  assertClose(a.data, b.data, TOL, 'flat sentence-transformers layout vs model2vec layout');
});

for (const [name, file, tol] of [
  ['st-mbert-1024d-f32', 'st-mbert-1024d-f32.npy', TOL],
  ['st-mbert-32d-f16', 'st-mbert-32d-f16.fp32-accum.npy', TOL],
] as const) {
  test(`benchmark model ${name}: every row of bench-golden equals ours`, (t) => {
    const golden = sharedFile(t, `fixtures/bench-golden/${file}`);
    const texts = sharedFile(t, 'fixtures/bench-golden/texts.txt');
    if (!golden || !texts) return;
    const dir = benchModel(t, name);
    if (!dir) return;
    const lines = readLines(texts);
    const g = readNpy(golden);
    assert.deepEqual(g.shape, [lines.length, name.includes('1024') ? 1024 : 32]);
    const model = StaticModel.fromBytes({
      'modules.json': readFileSync(join(dir, 'modules.json')),
      '0_StaticEmbedding/model.safetensors': readFileSync(join(dir, '0_StaticEmbedding/model.safetensors')),
      '0_StaticEmbedding/tokenizer.json': readFileSync(join(dir, '0_StaticEmbedding/tokenizer.json')),
    });
    const e = model.encode(lines);
    const d = g.shape[1]!;
    let worst = 0;
    for (let i = 0; i < lines.length; i++)
      worst = Math.max(worst, maxAbsDiff(e.row(i), g.data.subarray(i * d, (i + 1) * d)));
    assert.ok(worst <= tol, `max |diff| ${worst}`);
    if (name === 'st-mbert-32d-f16') {
      // pinned: sentence-transformers' own output averages in fp16 and stays within 2e-3 of ours
      const fp16 = readNpy(sharedFile(t, 'fixtures/bench-golden/st-mbert-32d-f16.npy')!);
      let w16 = 0;
      for (let i = 0; i < lines.length; i++)
        w16 = Math.max(w16, maxAbsDiff(e.row(i), fp16.data.subarray(i * d, (i + 1) * d)));
      assert.ok(w16 > 0 && w16 < 2e-3, `fp16-accumulation difference ${w16} should be in (0, 2e-3)`);
    }
  });
}
