/**
 * The pooling kernel: mean of each id bag's table rows into output rows (SIMD and reference).
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { WASM_BASE64 } from './pool-wasm.js';
import type { Arena } from './arena.js';
import { STORED_KIND, widenRange, type TableData, type TableDtype } from './table-dtype.js';
import { compileWasm } from './wasm-module.js';

export interface PoolTable {
  /** the dtype `table` holds (float32, or int8 / float16 / bfloat16 as stored) */
  dtype: TableDtype;
  table: TableData;
  tablePtr: number;
  dim: number;
  /** int8 tables: each row's scale, or undefined (scale 1) */
  scales: Float32Array | undefined;
  scalesPtr: number;
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

/**
 * The reference implementation: every f32 operation rounded as the SIMD kernel rounds it. A stored row is widened
 * (as the loader widens it) into a scratch row first, then summed exactly as a float32 row.
 */
export class JsPoolKernel implements PoolKernel {
  readonly kind = 'js';
  private readonly row: Float32Array;
  constructor(private readonly t: PoolTable) {
    this.row = new Float32Array(t.dtype === 'float32' ? 0 : t.dim);
  }
  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    const { table, dim: d, mapping, weights, dtype, scales } = this.t;
    const wide = dtype === 'float32';
    for (let i = 0; i < n; i++) {
      const o = at + i * d;
      const a = offsets[i]!,
        b = offsets[i + 1]!;
      out.fill(0, o, o + d);
      for (let k = a; k < b; k++) {
        const id = ids[k]!;
        const r = mapping ? mapping[id]! : id;
        let src = table as Float32Array,
          row = r * d;
        if (!wide) {
          widenRange(table, dtype, scales ? scales[r]! : 1, row, d, this.row, 0);
          src = this.row;
          row = 0;
        }
        if (weights) {
          const w = weights[id]!;
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + Math.fround(src[row + j]! * w);
        } else {
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + src[row + j]!;
        }
      }
      if (b > a) {
        const cnt = b - a;
        for (let j = 0; j < d; j++) out[o + j] = out[o + j]! / cnt;
      }
    }
  }
}

const wasmModules = new Map<boolean, WebAssembly.Module>();

/** The kernel compiled for a shared memory (the default) or a private one. */
export function poolWasmModule(sharedMemory = true): WebAssembly.Module {
  let m = wasmModules.get(sharedMemory);
  if (!m) wasmModules.set(sharedMemory, (m = compileWasm(WASM_BASE64, sharedMemory)));
  return m;
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
/** pool_q: PoolFn's arguments, then the int8 scales and the stored dtype's kind (STORED_KIND). */
type PoolQFn = (...args: [...Parameters<PoolFn>, scales: number, kind: number]) => void;

/** Rows pooled per kernel call: bounds the scratch space (ids, offsets, output rows) in the arena. */
const ROWS_PER_CALL = 128;
/** Token ids per kernel call in a private memory (which cannot grow): larger bags take the reference loop. */
const PRIVATE_IDS = 1 << 18;
const PAGE = 65536;

/** Bytes a private arena needs for the kernel's scratch space at this width (see Arena.create). */
export function poolScratchBytes(dim: number): number {
  const blocks = [(ROWS_PER_CALL + 1) * 4, ROWS_PER_CALL * dim * 4, PRIVATE_IDS * 4];
  return blocks.reduce((a, b) => a + Math.ceil(b / PAGE) * PAGE, 0);
}

export class WasmPoolKernel implements PoolKernel {
  readonly kind = 'wasm-simd';
  private readonly fn: PoolFn;
  private readonly fnStored: PoolQFn;
  private idsPtr = 0;
  private idsCap = 0;
  private readonly offsPtr: number;
  private readonly outPtr: number;

  constructor(
    private readonly t: PoolTable,
    private readonly arena: Arena,
  ) {
    const instance = new WebAssembly.Instance(poolWasmModule(arena.shared), { env: { memory: arena.memory! } });
    this.fn = instance.exports.pool as PoolFn;
    this.fnStored = instance.exports.pool_q as PoolQFn;
    this.offsPtr = arena.allocBytes((ROWS_PER_CALL + 1) * 4);
    this.outPtr = arena.allocBytes(ROWS_PER_CALL * t.dim * 4);
    if (!arena.shared) {
      this.idsCap = PRIVATE_IDS;
      this.idsPtr = arena.allocBytes(PRIVATE_IDS * 4);
    }
    if (this.offsPtr < 0 || this.outPtr < 0 || this.idsPtr < 0) throw new Error('WasmPoolKernel: the arena is full');
    this.reference = new JsPoolKernel(t);
  }

  private readonly reference: JsPoolKernel;

  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    const mem = this.arena.memory!;
    const d = this.t.dim;
    for (let s = 0, m = 0; s < n; s += m) {
      m = Math.min(ROWS_PER_CALL, n - s);
      const first = offsets[s]!;
      if (offsets[s + m]! - first > this.idsCap) {
        if (this.arena.shared) {
          this.idsCap = Math.max(offsets[s + m]! - first, this.idsCap * 2, 1 << 16);
          this.idsPtr = this.arena.allocBytes(this.idsCap * 4);
        } else {
          // a private memory cannot grow: fewer rows per call, and a bag larger than the scratch on its own
          // goes through the reference loop (the same float32 results)
          while (m > 1 && offsets[s + m]! - first > this.idsCap) m >>= 1;
          if (offsets[s + m]! - first > this.idsCap) {
            this.reference.pool(ids, offsets.subarray(s, s + 2), 1, out, at + s * d);
            continue;
          }
        }
      }
      const last = offsets[s + m]!;
      const count = last - first;
      const buf = mem.buffer;
      new Uint32Array(buf, this.idsPtr, count).set(ids.subarray(first, last));
      const offs = new Uint32Array(buf, this.offsPtr, m + 1);
      for (let i = 0; i <= m; i++) offs[i] = offsets[s + i]! - first;
      const t = this.t;
      if (t.dtype === 'float32')
        this.fn(this.idsPtr, this.offsPtr, m, t.tablePtr, d, this.outPtr, t.weightsPtr, t.mappingPtr);
      else {
        const kind = STORED_KIND[t.dtype];
        this.fnStored(
          this.idsPtr,
          this.offsPtr,
          m,
          t.tablePtr,
          d,
          this.outPtr,
          t.weightsPtr,
          t.mappingPtr,
          t.scalesPtr,
          kind,
        );
      }
      out.set(new Float32Array(buf, this.outPtr, m * d), at + s * d);
    }
  }
}

export function createPoolKernel(t: PoolTable, arena: Arena, prefer: 'auto' | 'js' = 'auto'): PoolKernel {
  if (prefer === 'auto' && arena.memory) {
    try {
      return new WasmPoolKernel(t, arena);
    } catch {
      // a private arena without room for the scratch space: the reference loop
    }
  }
  return new JsPoolKernel(t);
}
