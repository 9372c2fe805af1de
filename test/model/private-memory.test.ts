/**
 * The pooling kernel in a private (unshared) WebAssembly memory, as on a web page without cross-origin isolation:
 * the module's memory import is unshared, the arena never grows, and bags larger than its scratch space go through
 * the reference loop. Results equal the reference loop bit for bit (contract test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena } from '../../src/kernels/arena.js';
import { JsPoolKernel, WasmPoolKernel, poolScratchBytes, poolWasmModule } from '../../src/kernels/pool.js';
import { Random } from '../../src/math/random.js';

test('private-memory SIMD kernel = reference loop, bit for bit, including bags larger than its scratch space', () => {
  assert.ok(poolWasmModule(false) instanceof WebAssembly.Module);
  const rows = 1000;
  const rng = new Random(7);
  for (const dim of [37, 64]) {
    for (const vq of [false, true]) {
      const bytes = 4 * (rows * dim + (vq ? 2 * rows : 0));
      const arena = Arena.create(bytes, true, bytes + 3 * 65536 + poolScratchBytes(dim));
      // in Node shared memory exists, so force the private kind the way a page without isolation gets it
      const priv = arena.shared ? privateArena(bytes + 3 * 65536 + poolScratchBytes(dim)) : arena;
      assert.equal(priv.shared, false);
      const table = priv.f32(rows * dim);
      for (let i = 0; i < table.view.length; i++) table.view[i] = rng.next() * 2 - 1;
      const weights = vq ? priv.f32(rows) : undefined;
      const mapping = vq ? priv.u32(rows) : undefined;
      if (weights && mapping) {
        for (let i = 0; i < rows; i++) {
          weights.view[i] = rng.next() * 2;
          mapping.view[i] = rng.int(rows);
        }
      }
      const t = {
        table: table.view,
        dtype: 'float32' as const,
        tablePtr: table.ptr,
        scales: undefined,
        scalesPtr: 0,
        dim,
        weights: weights?.view,
        weightsPtr: weights?.ptr ?? 0,
        mapping: mapping?.view,
        mappingPtr: mapping?.ptr ?? 0,
      };
      const wasm = new WasmPoolKernel(t, priv);
      const js = new JsPoolKernel(t);
      // bag sizes: small ones, empties, many rows whose sum exceeds the scratch, one bag of 300,000 ids on its own
      const sizes = [3, 0, 1, 300_000, 5, ...Array.from({ length: 1500 }, () => rng.int(400)), 0, 2];
      const offsets = new Uint32Array(sizes.length + 1);
      for (let i = 0; i < sizes.length; i++) offsets[i + 1] = offsets[i]! + sizes[i]!;
      const ids = new Uint32Array(offsets[sizes.length]!);
      for (let i = 0; i < ids.length; i++) ids[i] = rng.int(rows);
      const a = new Float32Array(sizes.length * dim + 3),
        b = new Float32Array(sizes.length * dim + 3);
      wasm.pool(ids, offsets, sizes.length, a, 3);
      js.pool(ids, offsets, sizes.length, b, 3);
      for (let i = 0; i < a.length; i++)
        if (!Object.is(a[i], b[i])) assert.fail(`dim ${dim}, vq ${vq}: value ${i}: ${a[i]} ≠ ${b[i]}`);
    }
  }
});

/** A private arena even where SharedArrayBuffer exists (what Arena.create gives without it). */
function privateArena(bytes: number): Arena {
  const g = globalThis as { SharedArrayBuffer?: unknown };
  const sab = g.SharedArrayBuffer;
  g.SharedArrayBuffer = undefined;
  try {
    return Arena.create(0, true, bytes);
  } finally {
    g.SharedArrayBuffer = sab;
  }
}
