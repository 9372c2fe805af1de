/** encode / encodeAsync report each text's token count (`tokenCounts`), on the calling thread and on workers alike. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDefaultModel, type StaticModel } from '../../src/node.js';

describe('tokenCounts', () => {
  let model: StaticModel;
  before(async () => {
    model = await loadDefaultModel();
  });
  after(() => model.close());
  const texts = ['I used to hate him.', '', 'Раньше я ненавидел его.', '\u0000\u0001', 'x '.repeat(300)];

  test('the number of ids pooled per text', () => {
    const want = texts.map((t) => model.tokenizer.encode(t).length);
    const here = new Int32Array(texts.length);
    model.encode(texts, { tokenCounts: here });
    assert.deepEqual([...here], want);
  });

  test('the same on workers, sync and async', async () => {
    const big = Array.from({ length: 4000 }, (_, i) => `${texts[i % texts.length]} ${'word '.repeat(i % 60)}`);
    const bigWant = big.map((t) => model.tokenizer.encode(t).length);
    const sync = new Int32Array(big.length),
      async = new Int32Array(big.length);
    model.encode(big, { workers: 2, tokenCounts: sync });
    await model.encodeAsync(big, { workers: 2, tokenCounts: async });
    assert.deepEqual([...sync], bigWant);
    assert.deepEqual([...async], bigWant);
  });

  test('a bad buffer is a typed error', () => {
    assert.throws(() => model.encode(texts, { tokenCounts: new Int32Array(2) }), { code: 'INVALID_ARGUMENT' });
    assert.throws(() => model.encode(texts, { tokenCounts: [] as unknown as Int32Array }), {
      code: 'INVALID_ARGUMENT',
    });
  });
});
