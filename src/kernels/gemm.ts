/**
 * Matrix products of the training loss (`gemmNT`: x · yᵀ), SIMD or plain loops, in one workspace.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { wasmUsable } from './arena.js';
import { compileWasm } from './wasm-module.js';
import { WASM_BASE64 } from './gemm-wasm.js';
import { softmaxRows, type SoftmaxArgs } from './softmax-rows.js';

export type GemmFn = (x: number, y: number, nx: number, ny: number, k: number, out: number) => void;
const PAGE = 65536;

let module: WebAssembly.Module | undefined;

/** The compiled kernel module (shared with worker threads). */
export function trainModule(): WebAssembly.Module {
  return (module ??= compileWasm(WASM_BASE64));
}

/** Plain-loop x · yᵀ: out[i*ny + j] = Σ_t x[i*k + t] · y[j*k + t]. */
export function gemmNTReference(
  x: Float32Array,
  y: Float32Array,
  nx: number,
  ny: number,
  k: number,
  out: Float32Array,
): void {
  for (let i = 0; i < nx; i++) {
    const xo = i * k;
    for (let j = 0; j < ny; j++) {
      const yo = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += x[xo + t]! * y[yo + t]!;
      out[i * ny + j] = s;
    }
  }
}

export class GemmWorkspace {
  protected readonly memory: WebAssembly.Memory | null;
  protected readonly fn: GemmFn | undefined;
  private readonly buffers = new Map<string, Float32Array>();

  /** `kernel: 'js'` forces the plain loops. */
  constructor(kernel: 'auto' | 'js' = 'auto') {
    this.memory = null;
    if (kernel !== 'js' && wasmUsable()) {
      try {
        this.memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
        this.fn = new WebAssembly.Instance(trainModule(), { env: { memory: this.memory } }).exports.gemm_nt as GemmFn;
      } catch {
        this.memory = null;
      }
    }
  }

  /** Threads used by gemmNT (1 here; see ThreadedGemmWorkspace). */
  get threads(): number {
    return 1;
  }

  /** Stops worker threads, if any. */
  close(): void {}

  get kernel(): 'wasm-simd' | 'js' {
    return this.fn ? 'wasm-simd' : 'js';
  }

  /** The SIMD kernel needs row counts padded to 4 and row lengths to multiples of 4. */
  get padding(): number {
    return this.fn ? 4 : 1;
  }

  /** A named buffer of `n` float64 values, zero-filled, in the shared memory when there is one. */
  f64(name: string, n: number): Float64Array {
    const f = this.f32(`f64:${name}`, 2 * n);
    return new Float64Array(f.buffer, f.byteOffset, n);
  }

  /** The loss's per-anchor softmax over all anchor rows (see softmax-rows.ts); returns the summed cross-entropy. */
  softmax(a: Omit<SoftmaxArgs, 'cos' | 'e'>): number {
    return softmaxRows({ ...a, cos: this.f64('cos', a.C), e: this.f64('e', a.C) }, 0, a.B);
  }

  /** A named buffer of `n` floats, zero-filled; its storage is kept and reused by later calls with the same name. */
  f32(name: string, n: number): Float32Array {
    let b = this.buffers.get(name);
    if (!b || b.length < n) {
      if (this.memory) {
        const ptr = this.memory.grow(Math.max(1, Math.ceil((n * 4) / PAGE))) * PAGE;
        b = new Float32Array(this.memory.buffer, ptr, n);
      } else b = new Float32Array(n);
      this.buffers.set(name, b);
    }
    const v = b.subarray(0, n);
    v.fill(0);
    return v;
  }

  /** out = x · yᵀ (x: nx × k, y: ny × k, out: nx × ny), all buffers from `f32`, padded as `padding` says. */
  gemmNT(x: Float32Array, y: Float32Array, nx: number, ny: number, k: number, out: Float32Array): void {
    if (this.fn) this.fn(x.byteOffset, y.byteOffset, nx, ny, k, out.byteOffset);
    else gemmNTReference(x, y, nx, ny, k, out);
  }
}
