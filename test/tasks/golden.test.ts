/**
 * Tasks against sentence-transformers' own functions on the same embeddings (scripts/make-task-goldens.py):
 * identical indices, scores within 1e-5, identical quantized bytes; chunked runs equal unchunked ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  Matrix,
  communityDetection,
  pairwiseSimilarity,
  paraphraseMining,
  quantizeEmbeddings,
  semanticSearch,
  similarityMatrix,
} from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';
import { repoFile } from '../helpers/shared.js';

const TOL = 1e-5;
const g = JSON.parse(readFileSync(repoFile('test/golden/tasks.json'), 'utf8')) as {
  n: number;
  dim: number;
  similarity: Record<string, number[][] | number[]>;
  semantic_search: { top_k: number; queries: number } & Record<
    string,
    Array<Array<{ corpus_id: number; score: number }>>
  >;
  paraphrase_mining: {
    rows: number;
    top_k: number;
    max_pairs: number;
    pairs: number[][];
    pairs_small_chunks: number[][];
    all: number[][];
  };
  community_detection: {
    threshold: number;
    min_community_size: number;
    communities: number[][];
    batch_small: number[][];
  };
  quantize: {
    rows: number;
    int8: number[][];
    int8_constant_dim: number[][];
    uint8_outside: number[][];
    binary_dim12: number[][];
    int8_calibration: number[][];
    uint8_ranges: number[][];
    ranges: number[][];
    binary: number[][];
    ubinary: number[][];
  };
};
const npy = readNpy(repoFile('test/golden/task-embeddings.npy'));
const E = new Matrix(npy.shape[0]!, npy.shape[1]!, Float32Array.from(npy.data));
const rows = (m: Matrix, a: number, b: number) => new Matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));

test('similarity matrices and pairwise scores equal util.cos_sim / dot_score / euclidean_sim / manhattan_sim', () => {
  const a = rows(E, 0, 20),
    b = rows(E, 20, 45),
    b20 = rows(E, 20, 40);
  const fns = { cos_sim: 'cosine', dot_score: 'dot', euclidean_sim: 'euclidean', manhattan_sim: 'manhattan' } as const;
  for (const [name, fn] of Object.entries(fns)) {
    const m = similarityMatrix(a, b, fn);
    const want = (g.similarity[name] as number[][]).flat();
    want.forEach((x, k) =>
      assert.ok(Math.abs(m.data[k]! - x) <= TOL * Math.max(1, Math.abs(x)), `${name}[${k}] ${m.data[k]} vs ${x}`),
    );
    const p = pairwiseSimilarity(a, b20, fn);
    (g.similarity[`pairwise_${name}`] as number[]).forEach((x, k) =>
      assert.ok(Math.abs(p[k]! - x) <= TOL * Math.max(1, Math.abs(x)), `pairwise_${name}[${k}]`),
    );
  }
});

test('semantic search equals util.semantic_search (cosine, dot, odd chunk sizes)', () => {
  const Q = rows(E, 0, g.semantic_search.queries);
  const check = (
    got: ReturnType<typeof semanticSearch>,
    want: Array<Array<{ corpus_id: number; score: number }>>,
    what: string,
  ) => {
    assert.equal(got.length, want.length);
    got.forEach((hits, qi) => {
      assert.deepEqual(
        hits.map((h) => h.corpusId),
        want[qi]!.map((h) => h.corpus_id),
        `${what} query ${qi}`,
      );
      hits.forEach((h, k) => assert.ok(Math.abs(h.score - want[qi]![k]!.score) <= TOL, `${what} score`));
    });
  };
  check(semanticSearch(Q, E, { topK: 10 }), g.semantic_search.cos_sim!, 'cosine');
  check(
    semanticSearch(Q, E, { topK: 10, queryChunkSize: 7, corpusChunkSize: 333 }),
    g.semantic_search.cos_sim_small_chunks!,
    'cosine, chunks 7/333',
  );
  check(semanticSearch(Q, E, { topK: 5, scoreFunction: 'dot' }), g.semantic_search.dot_score!, 'dot');
  // chunked = brute force with odd chunk sizes
  const brute = semanticSearch(Q, E, { topK: 10, queryChunkSize: 1000, corpusChunkSize: 1_000_000 });
  assert.deepEqual(semanticSearch(Q, E, { topK: 10, queryChunkSize: 3, corpusChunkSize: 17 }), brute);
});

test('paraphrase mining equals util.paraphrase_mining_embeddings (max_pairs, top_k, odd chunks)', () => {
  const m = g.paraphrase_mining;
  const check = (got: ReturnType<typeof paraphraseMining>, want: number[][], what: string) => {
    assert.equal(got.length, want.length, `${what}: number of pairs`);
    const key = (i: number, j: number) => `${i}-${j}`;
    assert.deepEqual(
      new Set(got.map((p) => key(p.i, p.j))),
      new Set(want.map((p) => key(p[1]!, p[2]!))),
      `${what}: the same pairs`,
    );
    got.forEach((p, k) => assert.ok(Math.abs(p.score - want[k]![0]!) <= TOL, `${what}: score ${k}`));
  };
  check(paraphraseMining(rows(E, 0, m.rows), { topK: m.top_k, maxPairs: m.max_pairs }), m.pairs, 'max_pairs 400');
  check(
    paraphraseMining(rows(E, 0, m.rows), {
      topK: m.top_k,
      maxPairs: m.max_pairs,
      queryChunkSize: 77,
      corpusChunkSize: 251,
    }),
    m.pairs_small_chunks,
    'odd chunks',
  );
  check(paraphraseMining(rows(E, 0, 300), { topK: 3 }), m.all, 'defaults');
});

test('community detection equals util.community_detection', () => {
  const c = g.community_detection;
  const got = communityDetection(E, { threshold: c.threshold, minCommunitySize: c.min_community_size });
  assert.equal(got.length, c.communities.length);
  got.forEach((community, k) => assert.deepEqual(new Set(community), new Set(c.communities[k]), `community ${k}`));
  got.forEach((community, k) => assert.equal(community[0], c.communities[k]![0], `community ${k} centre`));
  // Python with batch_size=97 (its rows in chunks) finds the same communities: ours, which has no batching, equal it
  assert.equal(got.length, c.batch_small.length);
  got.forEach((community, k) =>
    assert.deepEqual(new Set(community), new Set(c.batch_small[k]), `batch 97: community ${k}`),
  );
});

test('quantize_embeddings: identical bytes for int8, int8 with calibration, uint8 with ranges, binary, ubinary', () => {
  const q = g.quantize;
  const A = rows(E, 0, q.rows);
  const same = (got: ArrayLike<number>, want: number[][], what: string) =>
    assert.deepEqual(Array.from(got), want.flat(), what);
  same(quantizeEmbeddings(A, 'int8').data, q.int8, 'int8');
  same(
    quantizeEmbeddings(A, 'int8', { calibrationEmbeddings: rows(E, 1000, E.rows) }).data,
    q.int8_calibration,
    'int8 calibration',
  );
  same(quantizeEmbeddings(A, 'uint8', { ranges: q.ranges }).data, q.uint8_ranges, 'uint8 ranges');
  same(quantizeEmbeddings(A, 'binary').data, q.binary, 'binary');
  const constant = new Matrix(A.rows, A.cols, A.data.slice());
  for (let i = 0; i < A.rows; i++) constant.data[i * A.cols + 3] = 0.25;
  same(quantizeEmbeddings(constant, 'int8').data, q.int8_constant_dim, 'int8 with a constant dimension');
  const lo = new Float32Array(E.cols).fill(Infinity),
    hi = new Float32Array(E.cols).fill(-Infinity);
  for (let i = 0; i < E.rows; i++)
    for (let j = 0; j < E.cols; j++) {
      const x = E.data[i * E.cols + j]!;
      lo[j] = Math.min(lo[j]!, x);
      hi[j] = Math.max(hi[j]!, x);
    }
  const tripled = new Matrix(
    A.rows,
    A.cols,
    A.data.map((x) => Math.fround(x * 3)),
  );
  same(
    quantizeEmbeddings(tripled, 'uint8', { ranges: [lo, hi] }).data,
    q.uint8_outside,
    'uint8, values outside the ranges',
  );
  const d12 = new Matrix(A.rows, 12, new Float32Array(A.rows * 12));
  for (let i = 0; i < A.rows; i++) d12.data.set(A.data.subarray(i * A.cols, i * A.cols + 12), i * 12);
  same(quantizeEmbeddings(d12, 'binary').data, q.binary_dim12, 'binary, 12 dims (padded rows)');
  const u = quantizeEmbeddings(A, 'ubinary');
  same(u.data, q.ubinary, 'ubinary');
  assert.equal(u.cols, 2);
});
