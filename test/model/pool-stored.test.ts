/**
 * Contract test of the stored-dtype pooling kernels: SIMD (shared and private memory) and the plain reference over
 * int8 (per-row scales), float16 and bfloat16 tables equal the float32 kernel over the widened table, bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena } from '../../src/kernels/arena.js';
import { JsPoolKernel, WasmPoolKernel, poolScratchBytes, type PoolTable } from '../../src/kernels/pool.js';
import { widenTable, type TableData, type TableDtype } from '../../src/kernels/table-dtype.js';
import { floatToHalfBits } from '../../src/math/float16.js';
import { Random } from '../../src/math/random.js';

const ROWS = 600;

/** Random stored values, with the awkward ones: zeros of both signs, half subnormals, extreme codes. */
function storedValues(dtype: TableDtype, n: number, rng: Random): TableData {
  if (dtype === 'int8') return Int8Array.from({ length: n }, () => rng.int(256) - 128);
  const special = [0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0xfbff];
  return Uint16Array.from({ length: n }, (_, i) => {
    if (i % 17 === 0) return special[rng.int(special.length)]!;
    if (dtype === 'float16') return floatToHalfBits((rng.next() * 2 - 1) * 4);
    const bits = rng.int(0x10000);
    return (bits & 0x7f80) === 0x7f80 ? bits & 0x807f : bits; // no infinities or NaNs (rejected at load)
  });
}

/** A table of `dtype` in `arena` (with scales for int8), plus per-token arrays when `vq`. */
function makeTable(arena: Arena, dtype: TableDtype, dim: number, vq: boolean, rng: Random): PoolTable {
  const values = storedValues(dtype, ROWS * dim, rng);
  const t = dtype === 'int8' ? arena.i8(values.length) : arena.u16(values.length);
  t.view.set(values as never);
  const scales = dtype === 'int8' ? arena.f32(ROWS) : undefined;
  if (scales) for (let r = 0; r < ROWS; r++) scales.view[r] = r % 50 === 0 ? 1 : Math.fround(rng.next() * 1e-2);
  const weights = vq ? arena.f32(ROWS) : undefined;
  const mapping = vq ? arena.u32(ROWS) : undefined;
  for (let i = 0; vq && i < ROWS; i++) {
    weights!.view[i] = rng.next() * 2;
    mapping!.view[i] = rng.int(ROWS);
  }
  return {
    dtype,
    table: t.view,
    tablePtr: t.ptr,
    dim,
    scales: scales?.view,
    scalesPtr: scales?.ptr ?? 0,
    weights: weights?.view,
    weightsPtr: weights?.ptr ?? 0,
    mapping: mapping?.view,
    mappingPtr: mapping?.ptr ?? 0,
  };
}

function bags(rng: Random): { ids: Uint32Array; offsets: Uint32Array; n: number } {
  const sizes = [3, 0, 1, 5, ...Array.from({ length: 700 }, () => rng.int(60)), 0, 2, 2000];
  const offsets = new Uint32Array(sizes.length + 1);
  for (let i = 0; i < sizes.length; i++) offsets[i + 1] = offsets[i]! + sizes[i]!;
  const ids = Uint32Array.from({ length: offsets[sizes.length]! }, () => rng.int(ROWS));
  return { ids, offsets, n: sizes.length };
}

function assertSameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: value ${i}: ${a[i]} ≠ ${b[i]}`);
}

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

for (const dtype of ['int8', 'float16', 'bfloat16'] as const) {
  test(`${dtype} kernels (SIMD shared, SIMD private, reference) = float32 kernel over the widened table, bit for bit`, () => {
    const rng = new Random(dtype.length);
    for (const dim of [1, 7, 8, 37, 64, 256]) {
      for (const vq of [false, true]) {
        const what = `${dtype}, dim ${dim}, vq ${vq}`;
        const shared = Arena.create(ROWS * dim * 4);
        assert.ok(shared.shared, 'Node has shared WebAssembly memory');
        const t = makeTable(shared, dtype, dim, vq, rng);
        const wide = widenTable(t.table, dtype, dim, t.scales);
        const f32: PoolTable = { ...t, dtype: 'float32', table: wide, tablePtr: 0, scales: undefined, scalesPtr: 0 };
        const priv = privateArena(ROWS * dim * 4 + 4 * 65536 + poolScratchBytes(dim));
        const tp = makeTable(priv, dtype, dim, vq, new Random(0));
        tp.table.set(t.table as never);
        tp.scales?.set(t.scales!);
        tp.weights?.set(t.weights!);
        tp.mapping?.set(t.mapping!);
        const { ids, offsets, n } = bags(rng);
        const run = (k: { pool: JsPoolKernel['pool'] }) => {
          const out = new Float32Array(n * dim + 5).fill(7);
          k.pool(ids, offsets, n, out, 5);
          return out;
        };
        const expected = run(new JsPoolKernel(f32));
        assertSameBits(run(new JsPoolKernel(t)), expected, `${what}: reference`);
        assertSameBits(run(new WasmPoolKernel(t, shared)), expected, `${what}: SIMD, shared memory`);
        assertSameBits(run(new WasmPoolKernel(tp, priv)), expected, `${what}: SIMD, private memory`);
      }
    }
  });
}
