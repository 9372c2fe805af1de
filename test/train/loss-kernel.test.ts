/**
 * Contract: the fast loss (MnrlKernel, SIMD and plain-loop gemm) equals the plain reference `matryoshkaMnrl`
 * — loss and every gradient row — on random tables and batches with odd sizes, odd Matryoshka dims, hard
 * negatives and empty texts; and the SIMD gemm equals the plain loops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MnrlKernel, sparseFromMap } from '../../src/train/loss-kernel.js';
import { matryoshkaMnrl, type IdBatch } from '../../src/train/loss.js';
import { GemmWorkspace, gemmNTReference } from '../../src/kernels/gemm.js';
import { ThreadedGemmWorkspace } from '../../src/entries/train-node.js';

function rng(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

test('gemmNT: the SIMD kernel equals the plain loops', () => {
  const ws = new GemmWorkspace();
  assert.equal(ws.kernel, 'wasm-simd', 'Node 20 has WebAssembly SIMD and shared memory');
  const r = rng(3);
  for (const [nx, ny, k] of [
    [4, 2, 4],
    [8, 6, 12],
    [12, 10, 36],
    [4, 4, 1024],
  ] as const) {
    const x = ws.f32('x', nx * k),
      y = ws.f32('y', ny * k),
      out = ws.f32('o', nx * ny);
    for (let i = 0; i < x.length; i++) x[i] = r() - 0.5;
    for (let i = 0; i < y.length; i++) y[i] = r() - 0.5;
    ws.gemmNT(x, y, nx, ny, k, out);
    const ref = new Float32Array(nx * ny);
    gemmNTReference(x, y, nx, ny, k, ref);
    ref.forEach((v, i) =>
      assert.ok(Math.abs(v - out[i]!) <= 1e-5 * Math.max(1, Math.abs(v)), `${nx}×${ny}×${k} [${i}] ${out[i]} vs ${v}`),
    );
  }
});

for (const kernel of ['auto', 'js'] as const) {
  test(`MnrlKernel (${kernel}) equals the reference loss and gradient`, () => {
    const r = rng(kernel === 'js' ? 5 : 7);
    for (const c of [
      { V: 50, D: 12, B: 5, dims: [12, 6, 3], neg: true, scale: 5 },
      { V: 200, D: 37, B: 7, dims: [37], neg: false, scale: 20 },
      { V: 300, D: 64, B: 13, dims: [8, 16, 32, 64], neg: false, scale: 20 },
      { V: 300, D: 64, B: 9, dims: [32, 13], neg: true, scale: 20 },
      { V: 100, D: 16, B: 1, dims: [16, 16], neg: false, scale: 20 },
      { V: 50, D: 12, B: 5, dims: [12, 6, 3], neg: true, scale: 5, symmetric: true },
      { V: 300, D: 64, B: 13, dims: [8, 16, 32, 64], neg: false, scale: 20, symmetric: true },
      { V: 300, D: 64, B: 9, dims: [32, 13], neg: true, scale: 20, symmetric: true },
      { V: 50, D: 12, B: 5, dims: [12, 6, 3], neg: true, scale: 5, gte: true },
      { V: 300, D: 64, B: 13, dims: [8, 16, 32, 64], neg: false, scale: 20, gte: true },
      { V: 300, D: 64, B: 9, dims: [32, 13], neg: true, scale: 20, gte: true },
      { V: 100, D: 16, B: 1, dims: [16, 16], neg: false, scale: 20, gte: true },
    ]) {
      const table = Float32Array.from({ length: c.V * c.D }, () => r() * 2 - 1);
      const bag = (canBeEmpty: boolean) =>
        Uint32Array.from({ length: (canBeEmpty ? 0 : 1) + Math.floor(r() * 6) }, () => Math.floor(r() * c.V));
      const bags = (k: number) => Array.from({ length: c.B }, (_, i) => bag(k === 2 && i === 1));
      const batch: IdBatch = { anchors: bags(0), positives: bags(1), ...(c.neg ? { negatives: bags(2) } : {}) };
      const config = {
        dims: c.dims,
        scale: c.scale,
        ...('symmetric' in c ? { symmetric: true } : {}),
        ...('gte' in c ? { gte: true } : {}),
      };
      const ref = matryoshkaMnrl(table, c.D, batch, config);
      const fast = new MnrlKernel(c.V, c.D, kernel).step(table, batch, config);
      const label = JSON.stringify({ ...c, kernel });
      assert.ok(
        Math.abs(fast.loss - ref.loss) <= 1e-5 * Math.max(1, ref.loss),
        `${label}: loss ${fast.loss} vs ${ref.loss}`,
      );
      const want = sparseFromMap(ref.grads, c.D);
      assert.deepEqual(
        [...fast.grads.rows].sort((a, b) => a - b),
        [...want.rows],
        label,
      );
      const at = new Map([...fast.grads.rows].map((row, k) => [row, k]));
      want.rows.forEach((row, k) => {
        const o = at.get(row)! * c.D;
        for (let j = 0; j < c.D; j++) {
          const v = want.values[k * c.D + j]!,
            got = fast.grads.values[o + j]!;
          assert.ok(
            Math.abs(v - got) <= 2e-5 * Math.max(1, Math.abs(v)),
            `${label}: grad[${row}][${j}] ${got} vs ${v}`,
          );
        }
      });
    }
  });
}

test('MnrlKernel: reused across steps of different sizes; bad input is a typed error', () => {
  const k = new MnrlKernel(10, 8);
  const table = Float32Array.from({ length: 80 }, (_, i) => Math.sin(i));
  const b = (n: number) => Array.from({ length: n }, (_, i) => Uint32Array.of(i % 10, (i * 3) % 10));
  const big = k.step(table, { anchors: b(6), positives: b(6).reverse() }, { dims: [8, 4] });
  const small = k.step(table, { anchors: b(2), positives: b(2).reverse() }, { dims: [8, 4] });
  const again = k.step(table, { anchors: b(6), positives: b(6).reverse() }, { dims: [8, 4] });
  assert.equal(again.loss, big.loss);
  assert.ok(Number.isFinite(small.loss));
  assert.throws(() => k.step(table, { anchors: [Uint32Array.of(10)], positives: [Uint32Array.of(1)] }, { dims: [8] }), {
    code: 'INVALID_ARGUMENT',
  });
  assert.throws(() => k.step(table, { anchors: b(2), positives: b(2) }, { dims: [9] }), { code: 'INVALID_ARGUMENT' });
  assert.throws(() => k.step(table, { anchors: [], positives: [] }, { dims: [8] }), { code: 'INVALID_ARGUMENT' });
});

test('ThreadedGemmWorkspace: the same products, bit for bit, on 3 threads; and the same loss and gradient (softmax split too)', () => {
  const ws = new ThreadedGemmWorkspace(3),
    one = new GemmWorkspace();
  try {
    assert.equal(ws.threads, 3);
    const r = rng(11);
    for (const [nx, ny, k] of [
      [64, 64, 64],
      [36, 130, 100],
      [1028, 8, 40],
    ] as const) {
      const fill = (w: GemmWorkspace, name: string, n: number, seed: number) => {
        const b = w.f32(name, n);
        const q = rng(seed);
        for (let i = 0; i < n; i++) b[i] = q() - 0.5;
        return b;
      };
      const x = fill(ws, 'x', nx * k, nx),
        y = fill(ws, 'y', ny * k, ny),
        out = ws.f32('o', nx * ny);
      const x1 = fill(one, 'x', nx * k, nx),
        y1 = fill(one, 'y', ny * k, ny),
        out1 = one.f32('o', nx * ny);
      ws.gemmNT(x, y, nx, ny, k, out);
      one.gemmNT(x1, y1, nx, ny, k, out1);
      assert.deepEqual(out, out1, `${nx}×${ny}×${k}`);
    }
    const V = 500,
      D = 64;
    const table = Float32Array.from({ length: V * D }, () => r() * 2 - 1);
    const bags = () =>
      Array.from({ length: 300 }, () =>
        Uint32Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * V)),
      );
    const batch = { anchors: bags(), positives: bags() };
    const a = new MnrlKernel(V, D, ws).step(table, batch, { dims: [16, 64], symmetric: true }),
      b = new MnrlKernel(V, D).step(table, batch, { dims: [16, 64], symmetric: true });
    // products are bit-identical; the per-slice sums of the softmax may differ in the last bits
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-12 * b.loss, `${a.loss} vs ${b.loss}`);
    assert.deepEqual(a.grads.rows, b.grads.rows);
    b.grads.values.forEach((v, i) =>
      assert.ok(
        Math.abs(v - a.grads.values[i]!) <= 1e-6 * Math.max(1e-3, Math.abs(v)),
        `[${i}] ${a.grads.values[i]} vs ${v}`,
      ),
    );
  } finally {
    ws.close();
  }
});
