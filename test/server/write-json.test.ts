/**
 * The fast serializer (src/server/write-json.ts) against its plain reference (sliceText, JavaScript's
 * number-to-string): every float reads back as the same number, and whole slices parse to the same JSON.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceText, type SliceKind } from '../../src/server/serialize.js';
import { sliceBytes, writeFloat } from '../../src/server/write-json.js';
import { Random } from '../../src/math/random.js';

const decoder = new TextDecoder();

test('writeFloat: every float32 reads back as itself (random bit patterns, every exponent, powers of ten, edges)', () => {
  const out = new Uint8Array(64);
  const f32 = new Float32Array(1);
  const bits = new Uint32Array(f32.buffer);
  const rng = new Random(7);
  const check = (v: number) => {
    const s = decoder.decode(out.subarray(0, writeFloat(out, 0, v)));
    if (!Number.isFinite(v))
      assert.equal(s, 'null'); // JSON has no NaN or Infinity: null, as JSON.stringify
    else assert.ok(Number(s) === v, `${v} written as ${s}`); // -0 is written "0", as String(-0)
  };
  for (let i = 0; i < 200_000; i++) {
    bits[0] = Math.floor(rng.next() * 2 ** 32) >>> 0;
    check(f32[0]!);
  }
  for (let e = -9; e <= 9; e++) {
    for (const m of [1, 0.99999994, 1.0000001, 9.999999, 5, 2.5]) {
      f32[0] = m * 10 ** e;
      check(f32[0]!);
      check(-f32[0]!);
    }
  }
  for (const v of [0, -0, NaN, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, 1e-6, 1e7, 0.5, 0.1, 123456.7]) {
    f32[0] = v;
    check(f32[0]!);
  }
  // the usual shape: "0." then digits, no exponent, no trailing zeros
  f32[0] = 0.5;
  assert.equal(decoder.decode(out.subarray(0, writeFloat(out, 0, f32[0]!))), '0.5');
  f32[0] = -0.012345;
  assert.match(decoder.decode(out.subarray(0, writeFloat(out, 0, f32[0]!))), /^-0\.0123\d+[1-9]$/);
});

test('sliceBytes equals sliceText once parsed: OpenAI float and base64, TEI; first slice and later ones', () => {
  const rng = new Random(3);
  const dim = 37;
  const rows = new Float32Array(5 * dim).map(() => (rng.next() - 0.5) * (rng.next() < 0.1 ? 1e-7 : 0.3));
  for (const kind of ['openai-float', 'openai-base64', 'tei'] as SliceKind[]) {
    for (const first of [0, 4]) {
      const job = { kind, rows, dim, first, head: first ? '' : '{"data":[', tail: '],"model":"mödel"}' };
      const fast = decoder.decode(sliceBytes(job));
      const plain = sliceText(job);
      const wrap = (s: string) => (first ? `{"data":[0${s}` : s);
      assert.deepEqual(JSON.parse(wrap(fast)), JSON.parse(wrap(plain)), `${kind} ${first}`);
      if (kind === 'openai-base64') assert.equal(fast, plain);
    }
  }
});
