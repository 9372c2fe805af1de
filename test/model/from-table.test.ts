/** StaticModel.fromTable: a model from a tokenizer.json and a table in memory equals the same model from files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticEmbedError, StaticModel, modelFiles } from '../../src/index.js';
import { tinyModelFiles, tinyTable, tinyTokenizerJson } from '../helpers/tiny-model.js';

const TEXTS = ['hello world', 'good day!', 'worlds', '', 'zzz'];

test('fromTable = fromBytes of the same parts (embeddings, info, truncation, model2vec weights and mapping)', () => {
  const table = Float32Array.from(tinyTable().flat());
  const fromFiles = StaticModel.fromBytes(tinyModelFiles());
  const fromTable = StaticModel.fromTable({ tokenizer: tinyTokenizerJson(), table, dim: 4 });
  assert.deepEqual(fromTable.encode(TEXTS).data, fromFiles.encode(TEXTS).data);
  assert.deepEqual(fromTable.info(), fromFiles.info());
  const cut = StaticModel.fromTable({ tokenizer: tinyTokenizerJson(), table, dim: 4 }, { truncateDim: 2 });
  assert.deepEqual(
    cut.encode(TEXTS).data,
    StaticModel.fromBytes(tinyModelFiles(), { truncateDim: 2 }).encode(TEXTS).data,
  );
  // vocabulary quantization: two rows, a mapping and weights, saved and loaded back
  const parts = {
    tokenizer: new TextEncoder().encode(tinyTokenizerJson()),
    table: Float32Array.of(1, 0, 0, 1, 0, 1, 1, 0),
    dim: 4,
    mapping: [0, 1, 0, 1, 0, 1, 0, 1],
    weights: Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8),
  };
  const vq = StaticModel.fromTable(parts, { profile: 'model2vec' });
  const back = StaticModel.fromBytes(modelFiles(vq, { layout: 'model2vec' }));
  assert.deepEqual(back.encode(TEXTS).data, vq.encode(TEXTS).data);
  assert.equal(vq.info().vocabularyQuantized, true);
});

test('fromTable: bad parts are typed errors', () => {
  const tokenizer = tinyTokenizerJson();
  const bad = (parts: Parameters<typeof StaticModel.fromTable>[0], re: RegExp) =>
    assert.throws(
      () => StaticModel.fromTable(parts),
      (e) => e instanceof StaticEmbedError && re.test(e.message),
    );
  bad({ tokenizer, table: [1, 2] as unknown as Float32Array, dim: 2 }, /table must be a Float32Array/);
  bad({ tokenizer, table: new Float32Array(32), dim: 5 }, /dim must be a positive integer dividing/);
  bad({ tokenizer, table: new Float32Array(12), dim: 4 }, /3 rows but the tokenizer has 8 tokens/);
  bad({ tokenizer, table: Float32Array.from({ length: 32 }, (_, i) => (i === 9 ? NaN : i)), dim: 4 }, /non-finite/);
  bad({ tokenizer, table: new Float32Array(8), dim: 4, mapping: [0, 1, 2] }, /"mapping" has 3 entries/);
  assert.throws(
    () => StaticModel.fromTable({ tokenizer, table: new Float32Array(32), dim: 4 }, { truncateDim: 0 }),
    /truncateDim must be a positive integer/,
  );
});
