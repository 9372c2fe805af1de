/**
 * encodeTokens: per-token vectors equal model2vec's encode_as_sequence (goldens from model2vec itself:
 * scripts/make-token-vector-goldens.py), offsets slice the tokens' source, and on sentence-transformers layouts the
 * mean of the vectors is `encode`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModelFolder } from '../../src/runtime/node/fs.js';
import { loadDefaultModel } from '../../src/runtime/node/default-model.js';
import type { StaticModel } from '../../src/index.js';
import { assertClose } from '../helpers/close.js';
import { readJsonl } from '../helpers/corpus.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

const TOL = 1e-6;
type Rows = { ids: number[]; rows: string };
type Long = { n: number; ids_head: number[]; first: string; last: string; sum: number[] };
type Golden = { source: string; dim: number; default: Record<string, Rows | Long>; max_length8: Record<string, Rows> };
const { _model2vec: version, ...goldens } = JSON.parse(
  readFileSync(repoFile('test/golden/token-vectors.json'), 'utf8'),
) as { _model2vec: { version: string } } & Record<string, Golden>;

const floats = (b64: string): Float32Array => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new Float32Array(bytes.buffer);
};

function checkRows(model: StaticModel, text: string, g: Rows, maxLength: number | null, what: string): void {
  const [r] = model.encodeTokens(text, { maxLength });
  assert.deepEqual([...r!.ids], g.ids, `${what}: ids`);
  assert.equal(r!.vectors.rows, g.ids.length);
  assertClose(r!.vectors.data, floats(g.rows), TOL, what);
}

for (const [name, g] of Object.entries(goldens)) {
  test(`model2vec ${version.version}: ${name} — encodeTokens equals encode_as_sequence`, (t) => {
    const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
    const dir = sharedFile(t, g.source);
    if (!s || !dir) return;
    const texts = new Map(readJsonl<{ id: number; text: string }>(s).map((r) => [String(r.id), r.text]));
    const model = loadModelFolder(dir);
    assert.equal(model.dim, g.dim);
    for (const [id, row] of Object.entries(g.default)) {
      const text = texts.get(id)!;
      if ('n' in row) {
        const [r] = model.encodeTokens(text);
        assert.equal(r!.ids.length, row.n, 'the long text is not cut by default (encode_as_sequence)');
        assert.deepEqual([...r!.ids.subarray(0, 3)], row.ids_head);
        const d = g.dim;
        assertClose(r!.vectors.data.subarray(0, 3 * d), floats(row.first), TOL, `${name} ${id} first rows`);
        assertClose(r!.vectors.data.subarray((row.n - 3) * d), floats(row.last), TOL, `${name} ${id} last rows`);
        const sum = new Float64Array(d);
        for (let i = 0; i < row.n; i++) for (let j = 0; j < d; j++) sum[j]! += r!.vectors.get(i, j);
        assertClose(sum, row.sum, 1e-4, `${name} ${id} sum of rows`);
      } else checkRows(model, text, row, null, `${name} sentence ${id}`);
    }
    for (const [id, row] of Object.entries(g.max_length8))
      checkRows(model, texts.get(id)!, row, 8, `${name} sentence ${id} max_length 8`);
  });
}

/** Every token's offsets slice its source out of the text (code points by default, UTF-16 on request). */
function checkOffsets(model: StaticModel, texts: string[]): void {
  const cp = model.encodeTokens(texts);
  const u16 = model.encodeTokens(texts, { offsets: 'utf16' });
  texts.forEach((text, i) => {
    const chars = [...text];
    const a = cp[i]!,
      b = u16[i]!;
    assert.deepEqual([...a.ids], [...b.ids]);
    for (let k = 0; k < a.ids.length; k++) {
      assert.equal(chars.slice(a.starts[k], a.ends[k]).join(''), text.slice(b.starts[k], b.ends[k]));
      assert.ok(a.starts[k]! < a.ends[k]!, `token ${k} of ${JSON.stringify(text)} is not empty`);
    }
  });
}

test('sentence-transformers layouts: the mean of the token vectors is encode (1e-6), offsets slice the text', (t) => {
  const dirs = [sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16')];
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  if (!s || dirs.some((d) => !d)) return;
  const texts = readJsonl<{ text: string }>(s).map((r) => r.text);
  for (const dir of dirs) {
    const model = loadModelFolder(dir!);
    assert.equal(model.info().profile, 'sentence-transformers');
    const e = model.encode(texts, { normalize: false });
    const tv = model.encodeTokens(texts);
    assert.equal(model.info().tableDtype, 'float16', 'the float16 table stays as stored');
    texts.forEach((_, i) => {
      const v = tv[i]!.vectors;
      const mean = new Float32Array(model.dim);
      for (let k = 0; k < v.rows; k++) for (let j = 0; j < v.cols; j++) mean[j]! += v.get(k, j);
      if (v.rows > 0) for (let j = 0; j < v.cols; j++) mean[j]! /= v.rows;
      assertClose(mean, e.row(i), TOL, `${dir} sentence ${i}`);
    });
    checkOffsets(model, texts);
  }
});

test('the default model: mean of token vectors is encode; truncateDim keeps the first dimensions', async () => {
  const model = await loadDefaultModel();
  const texts = ['Der schnelle braune Fuchs 🦊 springt.', 'naïve café\r\nร้านกาแฟ ในกรุงเทพ', ''];
  const stored = model.info().tableDtype;
  const e = model.encode(texts, { normalize: false });
  const tv = model.encodeTokens(texts);
  // rows are read from the table as kept (the embedded model's int8): the table is not widened to float32
  assert.equal(model.info().tableDtype, stored);
  assert.equal(tv[2]!.ids.length, 0);
  assert.equal(tv[2]!.vectors.rows, 0);
  for (let i = 0; i < 2; i++) {
    const v = tv[i]!.vectors;
    const mean = new Float32Array(model.dim);
    for (let k = 0; k < v.rows; k++) for (let j = 0; j < v.cols; j++) mean[j]! += v.get(k, j) / v.rows;
    assertClose(mean, e.row(i), TOL, `text ${i}`);
  }
  const cut = model.encodeTokens(texts[0]!, { truncateDim: 8 })[0]!;
  assert.equal(cut.vectors.cols, 8);
  assert.deepEqual([...cut.vectors.row(0)], [...tv[0]!.vectors.row(0).subarray(0, 8)]);
  checkOffsets(model, texts);
  assert.throws(() => model.encodeTokens('x', { maxLength: 0 }), /maxLength must be a positive integer/);
  assert.throws(() => model.encodeTokens('x', { offsets: 'bytes' as 'utf16' }), /offsets must be/);
});
