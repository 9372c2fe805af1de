/** VectorIndex: SIMD kernels = plain loops; exact = semantic_search semantics; binary + rescore recall. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, semanticSearch } from '../../src/index.js';
import { VectorIndex } from '../../src/node.js'; // worker threads for the threads: 2 test
import { readNpy } from '../helpers/npy.js';
import { repoFile } from '../helpers/shared.js';
import { clustered, rows } from '../helpers/clustered.js';

const npy = readNpy(repoFile('test/golden/task-embeddings.npy'));
const E = new Matrix(npy.shape[0]!, npy.shape[1]!, Float32Array.from(npy.data));
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

test('binary and int8 codes: recall@10 of exact search, kernels = plain loops', () => {
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

test('searchAsync on 1, 2 and 3 threads (concurrent calls, ties) = search on 1 thread, every mode', async () => {
  const all = clustered(50_050, 64, 12, 97);
  const X = rows(all, 0, 50_000),
    Q = rows(all, 50_000, 50_050);
  Q.data.set(X.data.subarray(64, 128)); // the first query is the duplicated row 1: hundreds of exactly tied hits
  const index = VectorIndex.build(X, { int8: true });
  for (const mode of ['exact', 'binary', 'int8'] as const) {
    const one = index.search(Q, { topK: 10, mode });
    const got = await Promise.all([1, 2, 3, 2].map((threads) => index.searchAsync(Q, { topK: 10, mode, threads })));
    for (const g of got) assert.deepEqual(g, one, mode);
    assert.deepEqual(index.search(Q, { topK: 10, mode, threads: 2 }), one, `${mode}: search on 2 threads`);
  }
  const tied = index.search(Q, { topK: 10 })[0]!;
  assert.ok(tied.every((h) => h.score === tied[0]!.score && h.corpusId % 97 === 0));
  const ids = (hits: { corpusId: number }[]) => hits.map((h) => h.corpusId);
  assert.deepEqual(
    ids(tied),
    ids(semanticSearch(rows(Q, 0, 1), X, { topK: 10, kernel: 'js' })[0]!),
    'ties as semanticSearch',
  );
});
