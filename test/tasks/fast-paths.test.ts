/**
 * Contract tests of the fast paths: the thresholded SIMD kernel = its plain-loop reference (same triples), and
 * search, streaming search, paraphrase mining (1 and 2 threads, several chunkings) and community detection =
 * their plain reference loops. On vectors whose products and sums are exact in float32 (entries 0 or ±1/2, four
 * per row) every summation order gives the same scores, so the outputs must be identical, ties included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, communityDetection, paraphraseMining, semanticSearch } from '../../src/node.js';
import { Random } from '../../src/math/random.js';
import { Arena } from '../../src/kernels/arena.js';
import {
  GROUP,
  blockFloats,
  scoresAboveReference,
  searchInstance,
  toBlocks,
  type ScoresAbove,
} from '../../src/kernels/scan.js';
import { StreamingSearch } from '../../src/tasks/streaming-search.js';

/** Rows with four entries of ±1/2 (unit length): all scores are multiples of 1/4, computed exactly. */
function exactRows(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const cols = new Set<number>();
    while (cols.size < 4) cols.add(rng.int(d));
    for (const j of cols) m.data[i * d + j] = rng.next() < 0.5 ? 0.5 : -0.5;
  }
  return m;
}

function randomRows(n: number, d: number, seed: number): Matrix {
  const rng = new Random(seed);
  return new Matrix(
    n,
    d,
    Float32Array.from({ length: n * d }, () => rng.next() - 0.5),
  );
}

test('scores_above kernel = plain-loop reference (same triples, with and without row thresholds)', () => {
  const rng = new Random(5);
  for (const d of [1, 7, 32, 64]) {
    const n = 61,
      nq = 6;
    const q = randomRows(nq, d, d),
      c = randomRows(n, d, d + 1);
    const arena = Arena.create(1 << 20);
    assert.ok(arena.memory, 'WebAssembly SIMD with shared memory');
    const mem = arena.memory!;
    const qa = arena.f32(nq * d),
      ba = arena.f32(blockFloats(n, d)),
      ta = arena.f32(nq + 4),
      ra = arena.f32(blockFloats(n, 1) + GROUP);
    qa.view.set(q.data);
    toBlocks(c.data, 0, n, d, ba.view);
    for (let i = 0; i < ta.view.length; i++) ta.view[i] = rng.next() * 0.6 - 0.3;
    for (let i = 0; i < ra.view.length; i++) ra.view[i] = rng.next() < 0.5 ? Infinity : rng.next() * 0.6;
    const outPtr = arena.allocBytes(4 * 64 * 12);
    const fn = searchInstance(mem).exports.scores_above as ScoresAbove;
    for (const nqs of [1, 2, 3, 4]) {
      for (const rows of [false, true]) {
        const ng = Math.ceil(n / GROUP);
        const cnt = fn(qa.ptr + d * 4, nqs, d * 4, ba.ptr, ng, d, ta.ptr + 4, rows ? ra.ptr : 0, outPtr);
        const ref = {
          k: new Int32Array(4 * ng * GROUP),
          row: new Int32Array(4 * ng * GROUP),
          score: new Float32Array(4 * ng * GROUP),
        };
        const rc = scoresAboveReference(
          qa.view,
          d,
          nqs,
          d,
          ba.view,
          0,
          ng,
          d,
          ta.view,
          1,
          rows ? ra.view : undefined,
          0,
          ref,
        );
        assert.equal(cnt, rc, `d ${d}, nq ${nqs}, row thresholds ${rows}`);
        const i32 = new Int32Array(mem.buffer, outPtr, cnt * 3),
          f32 = new Float32Array(mem.buffer, outPtr, cnt * 3);
        for (let t = 0; t < cnt; t++) {
          assert.deepEqual([i32[3 * t], i32[3 * t + 1], f32[3 * t + 2]], [ref.k[t], ref.row[t], ref.score[t]]);
        }
      }
    }
  }
});

test('semanticSearch and StreamingSearch (kernel) = the plain reference loop', () => {
  const C = exactRows(3001, 24, 1),
    Q = exactRows(13, 24, 2);
  for (const scoreFunction of ['cosine', 'dot'] as const) {
    const ref = semanticSearch(Q, C, { topK: 7, scoreFunction, kernel: 'js' });
    assert.deepEqual(semanticSearch(Q, C, { topK: 7, scoreFunction }), ref);
    for (const kernel of ['auto', 'js'] as const) {
      const s = new StreamingSearch(Q, { topK: 7, scoreFunction, kernel });
      for (let a = 0; a < C.rows; a += 500)
        s.add(new Matrix(Math.min(500, C.rows - a), 24, C.data.slice(a * 24, Math.min(C.rows, a + 500) * 24)));
      assert.deepEqual(s.results(), ref, `streaming, ${scoreFunction}, ${kernel}`);
    }
  }
  const R = randomRows(2000, 40, 3),
    RQ = randomRows(9, 40, 4);
  const a = semanticSearch(RQ, R, { topK: 10 }),
    b = semanticSearch(RQ, R, { topK: 10, kernel: 'js' });
  a.forEach((hits, i) => {
    assert.deepEqual(
      hits.map((h) => h.corpusId),
      b[i]!.map((h) => h.corpusId),
    );
    hits.forEach((h, k) => assert.ok(Math.abs(h.score - b[i]![k]!.score) < 1e-5));
  });
});

test('paraphraseMining (kernel, 1 and 2 threads, several chunkings) = the plain reference loop', () => {
  const E = exactRows(1500, 16, 7);
  for (const corpusChunkSize of [100_000, 512, 333]) {
    const ref = paraphraseMining(E, { topK: 4, maxPairs: 300, corpusChunkSize, kernel: 'js' });
    for (const threads of [1, 2])
      assert.deepEqual(
        paraphraseMining(E, { topK: 4, maxPairs: 300, corpusChunkSize, threads }),
        ref,
        `chunk ${corpusChunkSize}, ${threads} threads`,
      );
  }
  const R = randomRows(1200, 32, 8);
  const key = (ps: Array<{ i: number; j: number }>) => ps.map((p) => `${p.i}-${p.j}`).join(' ');
  assert.equal(
    key(paraphraseMining(R, { topK: 5, maxPairs: 100, threads: 2 })),
    key(paraphraseMining(R, { topK: 5, maxPairs: 100, kernel: 'js' })),
  );
});

test('communityDetection (kernel) = the plain reference loop', () => {
  const E = exactRows(900, 8, 9);
  for (const threshold of [0.5, 0.75, 1]) {
    assert.deepEqual(
      communityDetection(E, { threshold, minCommunitySize: 3 }),
      communityDetection(E, { threshold, minCommunitySize: 3, kernel: 'js' }),
      `threshold ${threshold}`,
    );
  }
});
