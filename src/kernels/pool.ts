/**
 * The pooling kernel: mean of each id bag's table rows into output rows. Two implementations with identical
 * results bit for bit: WebAssembly SIMD (f32x4) reading the table in place in the arena, and the plain loop
 * (the reference, and the fallback where WebAssembly SIMD or shared memory is missing).
 */
import { WASM_BASE64 } from './pool-wasm.js';
import type { Arena } from './arena.js';
import { compileWasm } from './wasm-module.js';

export interface PoolTable {
  table: Float32Array;
  tablePtr: number;
  dim: number;
  /** per-token weights (vocabulary quantization), or undefined */
  weights: Float32Array | undefined;
  weightsPtr: number;
  /** token id → table row, or undefined */
  mapping: Uint32Array | undefined;
  mappingPtr: number;
}

export interface PoolKernel {
  readonly kind: 'wasm-simd' | 'js';
  /** Pools bags ids[offsets[i], offsets[i+1]) for i < n into out[at + i*dim …]. */
  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void;
}

/** The reference implementation: every f32 operation rounded as the SIMD kernel rounds it. */
export class JsPoolKernel implements PoolKernel {
  readonly kind = 'js';
  constructor(private readonly t: PoolTable) {}
  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    const { table, dim: d, mapping, weights } = this.t;
    for (let i = 0; i < n; i++) {
      const o = at + i * d;
      const a = offsets[i]!,
        b = offsets[i + 1]!;
      out.fill(0, o, o + d);
      for (let k = a; k < b; k++) {
        const id = ids[k]!;
        const row = (mapping ? mapping[id]! : id) * d;
        if (weights) {
          const w = weights[id]!;
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + Math.fround(table[row + j]! * w);
        } else {
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + table[row + j]!;
        }
      }
      if (b > a) {
        const cnt = b - a;
        for (let j = 0; j < d; j++) out[o + j] = out[o + j]! / cnt;
      }
    }
  }
}

let wasmModule: WebAssembly.Module | undefined;

export function poolWasmModule(): WebAssembly.Module {
  wasmModule ??= compileWasm(WASM_BASE64);
  return wasmModule;
}

type PoolFn = (
  ids: number,
  offs: number,
  n: number,
  table: number,
  dim: number,
  out: number,
  weights: number,
  mapping: number,
) => void;

/** Rows pooled per kernel call: bounds the scratch space (ids, offsets, output rows) in the arena. */
const ROWS_PER_CALL = 512;

export class WasmPoolKernel implements PoolKernel {
  readonly kind = 'wasm-simd';
  private readonly fn: PoolFn;
  private idsPtr = 0;
  private idsCap = 0;
  private readonly offsPtr: number;
  private readonly outPtr: number;

  constructor(
    private readonly t: PoolTable,
    private readonly arena: Arena,
  ) {
    const instance = new WebAssembly.Instance(poolWasmModule(), { env: { memory: arena.memory! } });
    this.fn = instance.exports.pool as PoolFn;
    this.offsPtr = arena.allocBytes((ROWS_PER_CALL + 1) * 4);
    this.outPtr = arena.allocBytes(ROWS_PER_CALL * t.dim * 4);
  }

  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    const mem = this.arena.memory!;
    const d = this.t.dim;
    for (let s = 0; s < n; s += ROWS_PER_CALL) {
      const m = Math.min(ROWS_PER_CALL, n - s);
      const first = offsets[s]!,
        last = offsets[s + m]!;
      const count = last - first;
      if (count > this.idsCap) {
        this.idsCap = Math.max(count, this.idsCap * 2, 1 << 16);
        this.idsPtr = this.arena.allocBytes(this.idsCap * 4);
      }
      const buf = mem.buffer;
      new Uint32Array(buf, this.idsPtr, count).set(ids.subarray(first, last));
      const offs = new Uint32Array(buf, this.offsPtr, m + 1);
      for (let i = 0; i <= m; i++) offs[i] = offsets[s + i]! - first;
      this.fn(this.idsPtr, this.offsPtr, m, this.t.tablePtr, d, this.outPtr, this.t.weightsPtr, this.t.mappingPtr);
      out.set(new Float32Array(buf, this.outPtr, m * d), at + s * d);
    }
  }
}

export function createPoolKernel(t: PoolTable, arena: Arena, prefer: 'auto' | 'js' = 'auto'): PoolKernel {
  if (prefer === 'auto' && arena.memory) return new WasmPoolKernel(t, arena);
  return new JsPoolKernel(t);
}
