/** Hostile values and structure: NaN/Inf weights and scales, overflowing tables, deep nesting, a million tensors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { StaticEmbedError, StaticModel } from '../../src/index.js';
import { MAX_POOLED_TERM } from '../../src/model/core.js';
import { readSafetensors } from '../../src/formats/safetensors.js';
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { formatFloat32 } from '../../src/math/float-format.js';
import { floatArray, sliceText } from '../../src/server/serialize.js';
import { sliceBytes, writeFloat } from '../../src/server/write-json.js';
import { TINY_VOCAB, tinyModelFiles, tinyTokenizerJson } from '../helpers/tiny-model.js';
import { runCliMeasured } from '../helpers/cli-rss.js';

const V = TINY_VOCAB.length;
const typed = (code: string, re?: RegExp) => (e: unknown) =>
  e instanceof StaticEmbedError && e.code === code && (!re || re.test(e.message));
const table = (v = 0.5): Float32Array => new Float32Array(V * 4).fill(v);

function m2vFiles(tensors: Parameters<typeof writeSafetensors>[0]): Record<string, Uint8Array> {
  const files = tinyModelFiles('model2vec');
  files['model.safetensors'] = writeSafetensors(tensors);
  return files;
}

test('per-token weights, scales and mapping are checked as the table is: NaN, Inf, out of range', () => {
  const tokenizer = tinyTokenizerJson();
  for (const bad of [NaN, Infinity, -Infinity, 1e39]) {
    const weights = new Array<number>(V).fill(1);
    weights[3] = bad;
    assert.throws(
      () => StaticModel.fromTable({ tokenizer, table: table(), dim: 4, weights }),
      typed('INVALID_MODEL', /"weights"\[3\]/),
    );
    const files = m2vFiles({
      embeddings: { dtype: 'F32', shape: [V, 4], bytes: f32Bytes(table()) },
      weights: { dtype: 'F64', shape: [V], bytes: new Uint8Array(Float64Array.from(weights).buffer) },
    });
    assert.throws(() => StaticModel.fromBytes(files), typed('INVALID_MODEL', /"weights"\[3\]/));
    const scales = new Array<number>(V).fill(0.1);
    scales[2] = bad;
    const int8 = m2vFiles({
      embeddings: { dtype: 'I8', shape: [V, 4], bytes: new Uint8Array(V * 4).fill(3) },
      scales: { dtype: 'F64', shape: [V], bytes: new Uint8Array(Float64Array.from(scales).buffer) },
    });
    if (Number.isFinite(bad)) continue; // 1e39 is a finite scale; the table check refuses it below
    assert.throws(() => StaticModel.fromBytes(int8), typed('INVALID_MODEL', /"scales"\[2\]/));
  }
  for (const m of [NaN, -1, V, 2.5]) {
    const mapping = new Array<number>(V).fill(0);
    mapping[5] = m;
    assert.throws(
      () => StaticModel.fromTable({ tokenizer, table: table(), dim: 4, mapping }),
      typed('INVALID_MODEL', /"mapping"\[5\]/),
    );
  }
});

test('tables whose pooled sums could overflow float32 are refused; the largest accepted pool finitely', () => {
  const tokenizer = tinyTokenizerJson();
  assert.throws(
    () => StaticModel.fromTable({ tokenizer, table: table(3e38), dim: 4 }),
    typed('INVALID_MODEL', /overflow float32/),
  );
  const weights = new Array<number>(V).fill(1);
  weights[2] = 1e10;
  assert.throws(
    () => StaticModel.fromTable({ tokenizer, table: table(1e20), dim: 4, weights }),
    typed('INVALID_MODEL', /largest \|weight\|/),
  );
  const big = Math.fround(MAX_POOLED_TERM * 0.999);
  for (const kernel of ['js', 'auto'] as const) {
    const m = StaticModel.fromTable({ tokenizer, table: table(big), dim: 4 }, { kernel });
    const e = m.encode(['hello '.repeat(100_000)]);
    assert.ok(
      e.data.every((x) => Number.isFinite(x)),
      kernel,
    );
  }
});

test('JSON output never holds NaN or Infinity: the CLI formatter, the server serializers', () => {
  assert.equal(formatFloat32(NaN), 'null');
  assert.equal(formatFloat32(-Infinity), 'null');
  assert.equal(floatArray(new Float32Array([1, NaN, Infinity])), '[1,null,null]');
  const out = new Uint8Array(16);
  assert.equal(new TextDecoder().decode(out.subarray(0, writeFloat(out, 0, -Infinity))), 'null');
  const rows = new Float32Array([0.5, NaN, -Infinity, 2]);
  for (const kind of ['openai-float', 'tei'] as const) {
    const job = {
      kind,
      rows,
      dim: 2,
      first: 0,
      head: kind === 'tei' ? '[' : '{"data":[',
      tail: kind === 'tei' ? ']' : ']}',
    };
    assert.deepEqual(JSON.parse(new TextDecoder().decode(sliceBytes(job))), JSON.parse(sliceText(job)), kind);
    assert.doesNotThrow(() => JSON.parse(sliceText(job)), kind);
  }
});

/** A tokenizer.json whose normalizer is a Sequence nested `depth` deep (written as text: too deep to stringify). */
function deepTokenizer(depth: number): string {
  const open = '{"type":"Sequence","normalizers":['.repeat(depth);
  const normalizer = `${open}{"type":"Lowercase"}${']}'.repeat(depth)}`;
  return tinyTokenizerJson()
    .replace(/^\{/, `{"normalizer":${normalizer},`)
    .replace(/"normalizer":\{"type":"BertNormalizer"[^}]*\},/, '');
}

test('nesting: a Sequence 4,000 deep, a config 100,000 deep and a nested safetensors header are typed errors', async () => {
  assert.throws(() => Tokenizer.fromJSON(deepTokenizer(4000)), typed('INVALID_TOKENIZER', /levels deep/));
  assert.doesNotThrow(() => Tokenizer.fromJSON(deepTokenizer(20)));
  const files = tinyModelFiles('model2vec');
  files['config.json'] = new TextEncoder().encode('['.repeat(100_000) + ']'.repeat(100_000));
  assert.throws(() => StaticModel.fromBytes(files), typed('INVALID_MODEL', /config\.json nests/));
  const header = new TextEncoder().encode(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`);
  const st = new Uint8Array(8 + header.length);
  new DataView(st.buffer).setBigUint64(0, BigInt(header.length), true);
  st.set(header, 8);
  assert.throws(() => readSafetensors(st), typed('INVALID_SAFETENSORS', /levels deep/));
  // and through the CLI: one line, exit 2
  const dir = mkdtempSync(join(tmpdir(), 'se-deep-'));
  const folder = tinyModelFiles();
  folder['0_StaticEmbedding/tokenizer.json'] = new TextEncoder().encode(deepTokenizer(4000));
  for (const [p, b] of Object.entries(folder)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), b);
  }
  const r = await runCliMeasured(['info', '--model', dir]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr.trim(), /^[^\n]*error \[INVALID_TOKENIZER\][^\n]*levels deep[^\n]*$/);
});

test('a 92 MiB safetensors header of 1.55M empty tensors is refused after a few MiB, in little memory', async () => {
  const n = 1_550_000;
  const parts = ['{'];
  for (let i = 0; i < n; i++) parts.push(`${i ? ',' : ''}"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  parts.push('}');
  const header = Buffer.from(parts.join(''));
  const st = Buffer.alloc(8 + header.length);
  st.writeBigUInt64LE(BigInt(header.length), 0);
  header.copy(st, 8);
  assert.ok(header.length > 80 * 2 ** 20, `${header.length} bytes`);
  assert.throws(() => readSafetensors(st), typed('INVALID_SAFETENSORS', /more than 65536 tensors/));
  const dir = mkdtempSync(join(tmpdir(), 'se-tensors-'));
  const files = tinyModelFiles('model2vec');
  files['model.safetensors'] = st;
  for (const [p, b] of Object.entries(files)) writeFileSync(join(dir, p), b);
  const r = await runCliMeasured(['info', '--model', dir]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /error \[INVALID_SAFETENSORS\].*more than 65536 tensors/);
  assert.ok(r.peakRss < 300 * 2 ** 20, `peak RSS ${(r.peakRss / 2 ** 20).toFixed(0)} MB`);
});

test('messages name a missing field instead of "undefined undefined"', () => {
  const header = new TextEncoder().encode(JSON.stringify({ t: { shape: [1], data_offsets: [0, 4] } }) + '    ');
  const st = new Uint8Array(8 + header.length + 4);
  new DataView(st.buffer).setBigUint64(0, BigInt(header.length), true);
  st.set(header, 8);
  assert.throws(
    () => readSafetensors(st),
    (e: unknown) => e instanceof StaticEmbedError && /has no "dtype"/.test(e.message) && !/undefined/.test(e.message),
  );
  assert.throws(
    () => readSafetensors(st.map((b, i) => (i >= 8 && i < 8 + header.length && b === 0x20 ? 0x20 : b))),
    (e: unknown) => e instanceof StaticEmbedError && !/undefined undefined/.test(e.message),
  );
});
