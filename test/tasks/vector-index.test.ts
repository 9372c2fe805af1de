/** VectorIndex: SIMD kernels = plain loops; exact = semantic_search semantics; binary + rescore recall. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, VectorIndex, semanticSearch } from '../../src/index.js';
import { Random } from '../../src/math/random.js';
import '../../src/node.js'; // worker threads for the threads: 2 test
import { readNpy } from '../helpers/npy.js';
import { repoFile } from '../helpers/shared.js';

const npy = readNpy(repoFile('test/golden/task-embeddings.npy'));
const E = new Matrix(npy.shape[0]!, npy.shape[1]!, Float32Array.from(npy.data));
const rows = (m: Matrix, a: number, b: number) => new Matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));

/** Clustered vectors in `d` dimensions: like real embeddings, neighbours share most sign bits. */
function clustered(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng.next() + 1e-12)) * Math.cos(2 * Math.PI * rng.next());
  const centers = Array.from({ length: 200 }, () => Float32Array.from({ length: d }, gauss));
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = centers[rng.int(centers.length)]!;
    for (let j = 0; j < d; j++) m.data[i * d + j] = c[j]! + 0.6 * gauss();
  }
  return m;
}

test('exact index search: SIMD kernel = plain loop, and = semantic_search reference (ids, scores within 1e-5)', () => {
  const simd = VectorIndex.build(E),
    js = VectorIndex.build(E, { kernel: 'js' });
  assert.equal(simd.kernel, 'wasm-simd');
  assert.equal(js.kernel, 'js');
  const Q = rows(E, 0, 37);
  const a = simd.search(Q, { topK: 10 }),
    b = js.search(Q, { topK: 10 });
  assert.deepEqual(a, b);
  const ref = semanticSearch(Q, E, { topK: 10 });
  a.forEach((hits, i) => {
    assert.deepEqual(
      hits.map((h) => h.corpusId),
      ref[i]!.map((h) => h.corpusId),
      `query ${i}`,
    );
    hits.forEach((h, k) => assert.ok(Math.abs(h.score - ref[i]![k]!.score) < 1e-5));
  });
  const dot = VectorIndex.build(E, { scoreFunction: 'dot', binary: false }).search(Q, { topK: 5 });
  const dref = semanticSearch(Q, E, { topK: 5, scoreFunction: 'dot' });
  dot.forEach((hits, i) =>
    assert.deepEqual(
      hits.map((h) => h.corpusId),
      dref[i]!.map((h) => h.corpusId),
    ),
  );
});

test('binary codes + float rescoring: recall@10 ≥ 0.95 of exact search; kernels agree with the plain loops', () => {
  const all = clustered(20_100, 256, 3);
  const X = rows(all, 0, 20_000),
    Q = rows(all, 20_000, 20_100);
  const index = VectorIndex.build(X);
  const exact = index.search(Q, { topK: 10 });
  const fast = index.search(Q, { topK: 10, mode: 'binary', rescore: 10 });
  let hit = 0;
  exact.forEach((e, i) => {
    const s = new Set(e.map((h) => h.corpusId));
    hit += fast[i]!.filter((h) => s.has(h.corpusId)).length;
  });
  const recall = hit / (10 * Q.rows);
  assert.ok(recall >= 0.95, `recall@10 ${recall}`);
  assert.deepEqual(
    VectorIndex.build(X, { kernel: 'js' }).search(rows(Q, 0, 10), { topK: 10, mode: 'binary' }),
    fast.slice(0, 10),
  );
  assert.throws(() => VectorIndex.build(X, { binary: false }).search(Q, { mode: 'binary' }), /binary: false/);
  // int8 codes: integer dot products pick the candidates; SIMD kernel = plain loop
  const withInt8 = VectorIndex.build(X, { int8: true });
  const i8 = withInt8.search(Q, { topK: 10, mode: 'int8' });
  let hit8 = 0;
  exact.forEach((e, i) => {
    const s = new Set(e.map((h) => h.corpusId));
    hit8 += i8[i]!.filter((h) => s.has(h.corpusId)).length;
  });
  assert.ok(hit8 / (10 * Q.rows) >= 0.99, `int8 recall@10 ${hit8 / (10 * Q.rows)}`);
  assert.deepEqual(
    VectorIndex.build(X, { int8: true, kernel: 'js' }).search(rows(Q, 0, 10), { topK: 10, mode: 'int8' }),
    i8.slice(0, 10),
  );
  assert.throws(() => index.search(Q, { mode: 'int8' }), /int8: true/);
});

test('text wrappers only encode and delegate', async () => {
  const { StaticModel, searchTexts, mineParaphrases, findCommunities, clusterTexts, semanticSearch } =
    await import('../../src/index.js');
  const { tinyModelFiles } = await import('../helpers/tiny-model.js');
  const m = StaticModel.fromBytes(tinyModelFiles());
  const texts = ['hello world', 'good day', 'hello hello', 'worlds!', 'good good day'];
  assert.deepEqual(
    searchTexts(m, ['hello'], texts, { topK: 2 }),
    semanticSearch(m.encode(['hello']), m.encode(texts), { topK: 2 }),
  );
  assert.ok(mineParaphrases(m, texts, { topK: 2 }).length > 0);
  assert.ok(Array.isArray(findCommunities(m, texts, { threshold: 0.99, minCommunitySize: 1 })));
  assert.equal(clusterTexts(m, texts, { k: 2 }).labels.length, 5);
});

test('threads: exact, binary and int8 searches on 2 threads = 1 thread (corpus split into several pieces)', () => {
  const all = clustered(40_050, 64, 11);
  const X = rows(all, 0, 40_000),
    Q = rows(all, 40_000, 40_050);
  const index = VectorIndex.build(X, { int8: true });
  for (const mode of ['exact', 'binary', 'int8'] as const) {
    assert.deepEqual(index.search(Q, { topK: 10, mode, threads: 2 }), index.search(Q, { topK: 10, mode }), mode);
  }
  const js = VectorIndex.build(rows(X, 0, 20_000), { int8: true, kernel: 'js' }),
    simd = VectorIndex.build(rows(X, 0, 20_000), { int8: true });
  for (const mode of ['exact', 'binary', 'int8'] as const)
    assert.deepEqual(
      simd.search(Q, { topK: 5, mode, threads: 2 }),
      js.search(Q, { topK: 5, mode }),
      `${mode}: SIMD on 2 threads = plain loops`,
    );
});
