/**
 * Paraphrase mining over many duplicate rows (ties everywhere) gives the plain reference's pairs for any chunking and
 * thread count, and its candidate heaps hold at most one chunk of rows, whatever the number of rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, paraphraseMining } from '../../src/node.js';
import { RowHeaps } from '../../src/math/row-heaps.js';

/** `n` rows drawn from `distinct` small-integer vectors (exact scores: equal rows tie exactly). */
function duplicates(n: number, d: number, distinct: number): Matrix {
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const v = (i * 7) % distinct;
    for (let j = 0; j < d; j++) m.data[i * d + j] = ((v * 31 + j * 17) % 9) - 4;
  }
  return m;
}

test('mining rows with many ties = the plain reference, for several chunkings and 1 or 2 threads', () => {
  for (const distinct of [1, 3, 50]) {
    const E = duplicates(1200, 8, distinct);
    for (const corpusChunkSize of [100_000, 512, 300]) {
      const ref = paraphraseMining(E, { topK: 6, maxPairs: 400, corpusChunkSize, kernel: 'js' });
      for (const threads of [1, 2])
        assert.deepEqual(
          paraphraseMining(E, { topK: 6, maxPairs: 400, corpusChunkSize, threads }),
          ref,
          `${distinct} distinct rows, chunk ${corpusChunkSize}, ${threads} threads`,
        );
    }
  }
});

test("mining's candidate heaps are sized by the chunk, not by the number of rows", () => {
  const Native = globalThis.SharedArrayBuffer;
  let largest = 0;
  globalThis.SharedArrayBuffer = class extends Native {
    constructor(bytes: number) {
      super(bytes);
      largest = Math.max(largest, bytes);
    }
  } as SharedArrayBufferConstructor;
  try {
    const n = 6000,
      chunk = 500,
      topK = 20;
    paraphraseMining(duplicates(n, 8, 1), { topK, maxPairs: 1000, corpusChunkSize: chunk, threads: 2 });
    assert.ok(largest > 0, 'the fast kernel ran');
    assert.ok(largest <= 2 * RowHeaps.bytes(chunk, topK + 1), `${largest} bytes`);
    assert.ok(largest < RowHeaps.bytes(n, topK + 1) / 4);
  } finally {
    globalThis.SharedArrayBuffer = Native;
  }
});

test('limit: exactly the best N distinct pairs (the head of the unbounded result), while maxPairs keeps the reference queue', () => {
  // distinct random-ish rows: no ties, so "the best N" is one set
  const n = 60,
    d = 8;
  const E = new Matrix(n, d);
  let x = 12345;
  for (let i = 0; i < n * d; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    E.data[i] = x / 2 ** 31 - 0.5;
  }
  for (const kernel of ['js', 'auto'] as const) {
    const all = paraphraseMining(E, { topK: 10, kernel });
    for (const limit of [1, 2, 7, 50]) {
      const got = paraphraseMining(E, { topK: 10, limit, kernel });
      assert.equal(got.length, limit, `limit ${limit} (${kernel})`);
      assert.deepEqual(got, all.slice(0, limit), `limit ${limit} (${kernel})`);
    }
  }
  assert.equal(
    paraphraseMining(E, { topK: 10, limit: 100_000 }).length,
    paraphraseMining(E, { topK: 10, kernel: 'js' }).length,
  );
  // sentence-transformers' max_pairs bounds directed candidates: 1 leaves nothing, 7 about 3 pairs
  assert.deepEqual(paraphraseMining(E, { topK: 10, maxPairs: 1 }), []);
  assert.ok(paraphraseMining(E, { topK: 10, maxPairs: 7 }).length <= 3);
  assert.throws(() => paraphraseMining(E, { limit: 0 }), /limit must be a positive integer, got number 0/);
});

test('limit with ties everywhere: the best N pairs are a prefix of the best N + 1, for both kernels', () => {
  for (const distinct of [1, 3]) {
    const E = duplicates(40, 8, distinct);
    for (const kernel of ['js', 'auto'] as const) {
      const runs = [1, 2, 3, 5, 8, 13, 30].map((limit) => paraphraseMining(E, { topK: 6, limit, kernel }));
      for (let k = 1; k < runs.length; k++)
        assert.deepEqual(
          runs[k]!.slice(0, runs[k - 1]!.length),
          runs[k - 1],
          `${distinct} distinct, ${kernel}, run ${k}`,
        );
    }
  }
});
