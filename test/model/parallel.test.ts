/**
 * Threads and kernels never change results: worker threads (sync and async) and the WebAssembly SIMD kernel
 * give the same bytes as the single-thread plain loop.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticModel } from '../../src/node.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { readLines } from '../helpers/corpus.js';
import { sharedFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

test('WebAssembly SIMD kernel = plain loop, bit for bit (weighted, mapped, odd dims)', (t) => {
  const tiny = StaticModel.fromBytes(tinyModelFiles());
  const tinyJs = StaticModel.fromBytes(tinyModelFiles(), { kernel: 'js' });
  assert.equal(tinyJs.info().kernel, 'js');
  const texts = ['hello worlds!', '', 'good day hello', 'zzz'];
  assert.ok(bytes(tiny.encode(texts).data).equals(bytes(tinyJs.encode(texts).data)));
  for (const name of ['fixtures/model2vec-rs/test-model-vocab-quantized', 'fixtures/synthetic-mbert-16d/st-16d-fp16']) {
    const dir = sharedFile(t, name);
    const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
    if (!dir || !s) return;
    const lines = readLines(s).map((l) => (JSON.parse(l) as { text: string }).text);
    const a = loadModelFolder(dir),
      b = loadModelFolder(dir, { kernel: 'js' });
    assert.equal(a.info().kernel, 'wasm-simd');
    for (const dim of [undefined, 7, 3]) {
      const o = dim === undefined ? {} : { truncateDim: dim };
      assert.ok(bytes(a.encode(lines, o).data).equals(bytes(b.encode(lines, o).data)), `${name} truncateDim ${dim}`);
    }
  }
});

test('worker threads (encode with workers: 2, encodeAsync) = one thread, bit for bit, in input order', async (t) => {
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!corpus || !dir) return;
  const lines = readLines(corpus).slice(0, 20_000);
  const model = loadModelFolder(dir);
  try {
    const one = model.encode(lines);
    const two = model.encode(lines, { workers: 2 });
    const asyncTwo = await model.encodeAsync(lines, { workers: 2 });
    const normalized = model.encode(lines, { workers: 3, normalize: true, truncateDim: 5 });
    assert.ok(bytes(one.data).equals(bytes(two.data)));
    assert.ok(bytes(one.data).equals(bytes(asyncTwo.data)));
    assert.ok(bytes(model.encode(lines, { normalize: true, truncateDim: 5 }).data).equals(bytes(normalized.data)));
    // small batches stay on the calling thread (same answer, no hand-off)
    assert.ok(
      bytes(model.encode(lines.slice(0, 10), { workers: 2 }).data).equals(bytes(one.data.subarray(0, 10 * 16))),
    );
  } finally {
    await model.close();
  }
});

test('encodeAsync keeps the event loop free while workers encode', async (t) => {
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!corpus || !dir) return;
  const lines = readLines(corpus).slice(0, 40_000);
  const model = loadModelFolder(dir);
  try {
    await model.encodeAsync(lines.slice(0, 1000), { workers: 1 }); // start the worker
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const e = await model.encodeAsync(lines, { workers: 1 });
    clearInterval(timer);
    assert.equal(e.rows, lines.length);
    assert.ok(ticks > 0, 'timers ran during encodeAsync');
  } finally {
    await model.close();
  }
});
