/**
 * The safetensors reader and the layout loader fed random and mutated bytes: only typed errors (never another
 * exception, a crash or a hang), and memory bounded by the input size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticEmbedError, StaticModel } from '../../src/index.js';
import { readSafetensors } from '../../src/formats/safetensors.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';

let seed = 0x5eed;
const rand = (): number => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32;
const int = (n: number): number => Math.floor(rand() * n);

function mutate(b: Uint8Array): Uint8Array {
  const out = Uint8Array.from(b);
  switch (int(6)) {
    case 0:
      for (let k = 0, n = 1 + int(8); k < n; k++) out[int(out.length)] = int(256);
      return out; // flip bytes
    case 1:
      return out.subarray(0, int(out.length)); // truncate
    case 2: {
      const v = new DataView(out.buffer);
      v.setBigUint64(0, BigInt(int(2 ** 31)) * BigInt(1 + int(3)), true);
      return out;
    } // header length
    case 3: {
      // edit a number in the JSON header
      const s = new TextDecoder().decode(out);
      const t = s.replace(/\d+/, () => String([0, 1, 2 ** 31, 2 ** 53, 99999999999][int(5)]));
      const e = new TextEncoder().encode(t);
      return e.length === out.length ? e : out;
    }
    case 4: {
      const extra = new Uint8Array(int(64)).map(() => int(256));
      const c = new Uint8Array(out.length + extra.length);
      c.set(out);
      c.set(extra, out.length);
      return c;
    }
    default:
      return new Uint8Array(int(200)).map(() => int(256)); // pure noise
  }
}

function onlyTyped(fn: () => unknown, what: string): void {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StaticEmbedError, `${what}: expected a StaticEmbedError, got ${String(e)}`);
  }
}

test('safetensors reader: 5,000 mutated and random inputs give typed errors only', { timeout: 60_000 }, () => {
  const good = tinyModelFiles()['0_StaticEmbedding/model.safetensors']!;
  assert.equal(readSafetensors(good).tensors.size, 1);
  const before = process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 5000; i++) {
    const b = mutate(good);
    onlyTyped(() => readSafetensors(b), `mutation ${i}`);
  }
  assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no large allocation');
});

test('layout loader: mutated model folders give typed errors only', { timeout: 60_000 }, () => {
  for (const layout of ['sentence-transformers', 'model2vec'] as const) {
    const files = tinyModelFiles(layout);
    assert.equal(StaticModel.fromBytes(files).dim, 4);
    const names = Object.keys(files);
    for (let i = 0; i < 1500; i++) {
      const copy: Record<string, Uint8Array> = { ...files };
      const victim = names[int(names.length)]!;
      if (int(10) === 0) delete copy[victim];
      else copy[victim] = mutate(files[victim]!);
      onlyTyped(
        () => StaticModel.fromBytes(copy).encode(['hello worlds!', '']),
        `${layout} mutation ${i} of ${victim}`,
      );
    }
  }
});

test('hostile headers: huge shapes, offsets outside the file, overlaps, bad dtypes are each named', () => {
  const enc = new TextEncoder();
  const make = (header: object, data = 16): Uint8Array => {
    const h = enc.encode(JSON.stringify(header));
    const b = new Uint8Array(8 + h.length + data);
    new DataView(b.buffer).setBigUint64(0, BigInt(h.length), true);
    b.set(h, 8);
    return b;
  };
  const cases: Array<[Uint8Array, RegExp]> = [
    [
      make({ a: { dtype: 'F32', shape: [2 ** 30, 2 ** 20], data_offsets: [0, 16] } }),
      /shape \[1073741824, 1048576\] × F32 = \d+ bytes but 16 bytes/,
    ],
    [
      make({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 2 ** 40] } }),
      /spans bytes \[0, 1099511627776\) but the data section has 16 bytes/,
    ],
    [
      make({
        a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
      }),
      /overlap/,
    ],
    [
      make({ a: { dtype: 'F8_E4M3', shape: [2], data_offsets: [0, 2] } }),
      /dtype "F8_E4M3"; supported dtypes: F64, F32, F16, BF16, I8, U8, I32, I64/,
    ],
    [make({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }), /non-negative integers/],
    [make([1, 2]), /expected a JSON object/],
    [new Uint8Array([255, 255, 255, 255, 0, 0, 0, 0]), /header length \d+ exceeds/],
  ];
  for (const [bytes, re] of cases) {
    assert.throws(
      () => readSafetensors(bytes),
      (e: unknown) => e instanceof StaticEmbedError && e.code === 'INVALID_SAFETENSORS' && re.test(e.message),
    );
  }
});

test('model errors: rows ≠ vocabulary, missing tensor, no layout (listing each one tried), path escapes', () => {
  const files = tinyModelFiles();
  const st = files['0_StaticEmbedding/model.safetensors']!;
  const isErr = (code: string, re: RegExp) => (e: unknown) =>
    e instanceof StaticEmbedError && e.code === code && re.test(e.message);
  const sevenRows = writeSafetensors({
    'embedding.weight': { dtype: 'F32', shape: [7, 4], bytes: f32Bytes(new Array(28).fill(1)) },
  });
  assert.throws(
    () => StaticModel.fromBytes({ ...files, '0_StaticEmbedding/model.safetensors': sevenRows }),
    isErr('INVALID_MODEL', /7 rows but the tokenizer has 8 tokens/),
  );
  const wrongName = writeSafetensors({
    weight: { dtype: 'F32', shape: [8, 4], bytes: f32Bytes(new Array(32).fill(1)) },
  });
  assert.throws(
    () => StaticModel.fromBytes({ ...files, '0_StaticEmbedding/model.safetensors': wrongName }),
    isErr('INVALID_MODEL', /looked for embedding\.weight, embeddings, found weight/),
  );
  void st;
  assert.throws(
    () => StaticModel.fromBytes({ 'README.md': new Uint8Array() }),
    isErr(
      'NO_LAYOUT',
      /model2vec: config\.json.*missing config\.json, model\.safetensors, tokenizer\.json[\s\S]*sentence-transformers: .*missing modules\.json/,
    ),
  );
  const enc = new TextEncoder();
  assert.throws(
    () =>
      StaticModel.fromBytes({
        ...files,
        'modules.json': enc.encode(
          '[{"idx":0,"name":"0","path":"../etc","type":"sentence_transformers.models.StaticEmbedding"}]',
        ),
      }),
    isErr('INVALID_MODEL', /inside the model folder/),
  );
  assert.throws(
    () => StaticModel.fromBytes({ ...files, 'modules.json': enc.encode('{"not": "a list"}') }),
    isErr('INVALID_MODEL', /JSON array/),
  );
});
