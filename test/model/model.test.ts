/** StaticModel semantics on a tiny model: pooling, empty texts, truncation, normalization, similarity, options. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Matrix, StaticEmbedError, StaticModel, similarityMatrix } from '../../src/index.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const model = StaticModel.fromBytes(tinyModelFiles());

describe('pooling (sentence-transformers profile)', () => {
  // hello=2, world=3, ##s=4, !=5 ; "hello worlds!" → [2, 3, 4, 5]
  const e = model.encode(['hello worlds!', '', 'zzz']);

  test('a text is the mean of its token rows, one float32 row per text', () => {
    assert.deepEqual([...e.row(0)], [3.5, 4, -3.5, 1]);
    assert.equal(e.rows, 3);
    assert.ok(e.data instanceof Float32Array);
  });

  test('an empty text is a zero vector', () => {
    assert.deepEqual([...e.row(1)], [0, 0, 0, 0]);
  });

  test('[UNK] is pooled', () => {
    assert.deepEqual([...e.row(2)], [1, 1.5, -1, 1], '[UNK] (id 1) is pooled');
  });
});

describe('the model2vec profile', () => {
  test('drops [UNK]', () => {
    const m = StaticModel.fromBytes(tinyModelFiles('model2vec'));
    assert.equal(m.info().profile, 'model2vec');
    assert.deepEqual([...m.encode(['zzz hello']).row(0)], [2, 2.5, -2, 1]);
  });

  test('a text of only [UNK] is a zero vector', () => {
    const m = StaticModel.fromBytes(tinyModelFiles('model2vec'));
    assert.deepEqual([...m.encode(['zzz']).row(0)], [0, 0, 0, 0]);
  });

  test('cuts the text, then keeps the first maxLength ids', () => {
    const capped = StaticModel.fromBytes(tinyModelFiles('model2vec'), { maxLength: 2 });
    // the text is first cut to maxLength × median token length (2 × 4 code points): "hello wo" → hello [UNK]
    assert.deepEqual(
      [...capped.encode(['hello world good day']).row(0)],
      [2, 2.5, -2, 1],
      'pre-cut, then [UNK] dropped',
    );
    // then only the first maxLength ids are kept: "! ! ! !" → 4 ids → 2
    assert.deepEqual([...capped.encode(['!!!! hello']).row(0)], [5, 5.5, -5, 1], 'first 2 ids only');
  });
});

test('truncate then normalize, with an epsilon: zero vectors stay zero', () => {
  const e = model.encode(['hello', ''], { truncateDim: 2, normalize: true });
  assert.equal(e.cols, 2);
  const [a, b] = e.row(0);
  assert.ok(Math.abs(a! * a! + b! * b! - 1) < 1e-6);
  assert.deepEqual([...e.row(1)], [0, 0]);
  const atLoad = StaticModel.fromBytes(tinyModelFiles(), { truncateDim: 2 });
  assert.equal(atLoad.dim, 2);
  assert.equal(atLoad.table.length, 8 * 2, 'only the kept columns are held in memory');
  assert.deepEqual([...atLoad.encode(['hello']).row(0)], [2, 2.5]);
});

test('similarity: cosine by default, dot, Euclidean / Manhattan as negative distances', () => {
  const a = Matrix.fromArrays([
    [1, 0],
    [0, 2],
  ]);
  const b = Matrix.fromArrays([[3, 4]]);
  assert.deepEqual(
    [...similarityMatrix(a, b).data].map((x) => +x.toFixed(6)),
    [0.6, 0.8],
  );
  assert.deepEqual([...similarityMatrix(a, b, 'dot').data], [3, 8]);
  assert.deepEqual(
    [...similarityMatrix(a, b, 'euclidean').data].map((x) => +x.toFixed(5)),
    [-Math.sqrt(20), -Math.sqrt(13)].map((x) => +x.toFixed(5)),
  );
  assert.deepEqual([...similarityMatrix(a, b, 'manhattan').data], [-6, -5]);
  const e = model.encode(['hello', 'hello', 'world']);
  const s = model.similarity(e, e);
  assert.ok(Math.abs(s.get(0, 1) - 1) < 1e-6);
  assert.throws(() => similarityMatrix(a, Matrix.fromArrays([[1, 2, 3]])), StaticEmbedError);
});

test('bad input and options are typed errors', () => {
  const isErr = (code: string) => (e: unknown) => e instanceof StaticEmbedError && e.code === code;
  assert.throws(() => model.encode([1 as unknown as string]), isErr('INVALID_INPUT'));
  assert.throws(() => model.encode(null as unknown as string[]), isErr('INVALID_INPUT'));
  assert.throws(() => model.encode(['a'], { batchSize: 0 }), isErr('INVALID_ARGUMENT'));
  assert.throws(() => model.encode(['a'], { truncateDim: 0 }), isErr('INVALID_ARGUMENT'));
  assert.throws(() => StaticModel.fromBytes(tinyModelFiles(), { truncateDim: -3 }), isErr('INVALID_ARGUMENT'));
  assert.throws(
    () => StaticModel.fromBytes(tinyModelFiles(), { profile: 'x' as 'model2vec' }),
    isErr('INVALID_ARGUMENT'),
  );
  assert.deepEqual(model.encode('hello').rows, 1, 'a single string is one row');
  assert.equal(model.encode([]).rows, 0);
});

test('batching does not change results', () => {
  const texts = Array.from(
    { length: 50 },
    (_, i) => ['hello', 'world!', 'good day', 'hellos'][i % 4]! + ' x'.repeat(i % 3),
  );
  assert.deepEqual([...model.encode(texts, { batchSize: 7 }).data], [...model.encode(texts).data]);
});
