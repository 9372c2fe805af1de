/**
 * Tables kept in their stored dtype give today's embeddings bit for bit: every fixture model of ../shared/fixtures,
 * the benchmark models and the embedded default model, in every dtype, against the float32 path computed here.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { StaticModel, type LoadOptions } from '../../src/node.js';
import { modelInternals } from '../../src/model/static-model.js';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { modelFiles } from '../../src/transform/save.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { benchModel, sharedFile } from '../helpers/shared.js';

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const MEMORY = { int8: 'int8', float16: 'float16', bfloat16: 'bfloat16', float32: 'float32' } as const;

/** The fixture sentences (edge cases, 112 languages) and the first corpus lines: enough text for worker threads. */
function texts(t: TestContext): string[] | undefined {
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  if (!s || !corpus) return undefined;
  return [...readJsonl<{ text: string }>(s).map((r) => r.text), ...readLines(corpus).slice(0, 800)];
}

/**
 * `load(options)` kept as stored equals `load({ tableDtype: 'float32' })` (the loader's widening and the float32
 * kernel) bit for bit: SIMD and reference kernels, truncation at load and at encode, normalization, two threads
 * (with `every` false: the SIMD kernel and two threads only).
 */
async function assertSameAsFloat32(
  what: string,
  load: (o: LoadOptions) => StaticModel,
  lines: string[],
  memory: 'int8' | 'float16' | 'bfloat16' | 'float32',
  every = true,
): Promise<void> {
  const dim = load({ tableDtype: 'float32' }).dim;
  const all = [{}, { kernel: 'js' as const }, { truncateDim: Math.max(1, dim >> 2) }];
  for (const o of every ? all : [{}]) {
    const stored = load(o),
      wide = load({ ...o, tableDtype: 'float32' });
    assert.equal(stored.info().tableDtype, memory, `${what}: kept in memory as`);
    assert.equal(wide.info().tableDtype, 'float32');
    const label = `${what} ${JSON.stringify(o)}`;
    assert.ok(bytes(stored.encode(lines).data).equals(bytes(wide.encode(lines).data)), label);
    const e = { normalize: true, truncateDim: Math.max(1, stored.dim >> 1) };
    assert.ok(bytes(stored.encode(lines, e).data).equals(bytes(wide.encode(lines, e).data)), `${label} normalized`);
    if (o.kernel === undefined && o.truncateDim === undefined) {
      const threads = await stored.encodeAsync(lines, { workers: 2 });
      assert.ok(bytes(threads.data).equals(bytes(wide.encode(lines).data)), `${label} on two worker threads`);
      await stored.close();
    }
    // the float32 view of a stored table is what the loader would have made of it
    assert.ok(bytes(modelInternals.floatTable(stored)).equals(bytes(wide.table)), `${label}: widened table`);
  }
}

/** A model's files converted in memory (library save) into each dtype, each loaded from those bytes. */
async function everyDtype(what: string, model: StaticModel, lines: string[]): Promise<void> {
  const layout = model.mapping ? 'model2vec' : 'sentence-transformers';
  for (const dtype of ['int8', 'float16', 'bfloat16'] as const) {
    const files = modelFiles(model, { dtype, layout });
    const load = (o: LoadOptions) => StaticModel.fromBytes(files, o);
    await assertSameAsFloat32(`${what} as ${dtype}`, load, lines, MEMORY[dtype], false);
  }
}

const FIXTURES: Array<[string, 'int8' | 'float16' | 'float32']> = [
  ['fixtures/model2vec-rs/test-model-float32', 'float32'],
  ['fixtures/model2vec-rs/test-model-float16', 'float16'],
  ['fixtures/model2vec-rs/test-model-int8', 'int8'],
  ['fixtures/model2vec-rs/test-model-vocab-quantized', 'float32'],
  ['fixtures/model2vec-rs/test-model-sentence-transformers', 'float32'],
  ['fixtures/synthetic-mbert-16d/st-16d-fp16', 'float16'],
  ['fixtures/synthetic-mbert-16d/m2v-16d-fp16', 'float16'],
];

for (const [name, memory] of FIXTURES) {
  test(`${name}: stored dtype = float32 path, bit for bit, as it is and converted to int8, float16, bfloat16`, async (t) => {
    const dir = sharedFile(t, name);
    const lines = texts(t);
    if (!dir || !lines) return;
    await assertSameAsFloat32(name, (o) => loadModelFolder(dir, o), lines, memory);
    await everyDtype(name, loadModelFolder(dir), lines);
  });
}

test('the benchmark models (bench-golden fixture): stored dtype = float32 path, bit for bit', async (t) => {
  const lines = texts(t);
  for (const [name, memory] of [
    ['st-mbert-32d-f16', 'float16'],
    ['m2v-mbert-32d-f16', 'float16'],
    ['st-mbert-1024d-f32', 'float32'],
  ] as const) {
    const dir = benchModel(t, name);
    if (!dir || !lines) return;
    await assertSameAsFloat32(name, (o) => loadModelFolder(dir, o), lines, memory, memory !== 'float32');
    if (memory === 'float16') await everyDtype(name, loadModelFolder(dir), lines);
  }
});

test('the embedded default model: stored dtype = float32 path, bit for bit, in every dtype', async (t) => {
  const lines = texts(t);
  if (!lines) return;
  const model = loadModelFolder(DEFAULT_MODEL_PATH);
  const memory = model.info().tableDtype;
  assert.notEqual(memory, 'float32', 'the default model is stored in a compact dtype and kept in it');
  assert.ok(model.info().tableBytes < model.tableRows * model.dim * 2 + 4 * model.tableRows);
  await assertSameAsFloat32('default model', (o) => loadModelFolder(DEFAULT_MODEL_PATH, o), lines, memory);
  await everyDtype('default model', model, lines);
});

test('model.table widens a stored table once, and the model pools from it after', (t) => {
  const dir = sharedFile(t, 'fixtures/model2vec-rs/test-model-int8');
  if (!dir) return;
  const model = loadModelFolder(dir),
    wide = loadModelFolder(dir, { tableDtype: 'float32' });
  const texts = ['hello world', 'a second text', ''];
  const before = model.encode(texts).data.slice();
  assert.equal(model.info().tableDtype, 'int8');
  const scales = modelInternals.core(model).scales;
  assert.equal(model.info().tableBytes, model.tableRows * model.dim + (scales ? 4 * model.tableRows : 0));
  const table = model.table;
  assert.ok(bytes(table).equals(bytes(wide.table)));
  assert.equal(model.info().tableDtype, 'float32');
  assert.equal(model.info().tableBytes, model.tableRows * model.dim * 4);
  assert.equal(model.table, table, 'widened once');
  assert.ok(bytes(model.encode(texts).data).equals(bytes(before)));
  table.fill(0);
  assert.ok(
    model.encode(texts).data.every((x) => x === 0),
    'the model pools from the widened table',
  );
});
