/**
 * Where a model's arrays live: inside a shared WebAssembly.Memory when the runtime has WebAssembly SIMD and
 * shared memory (so the SIMD kernel reads the table in place and worker threads share it without a copy), or
 * in plain ArrayBuffers otherwise. Every block is taken by growing the memory (an atomic operation), so the
 * threads sharing one memory never hand out the same bytes; nothing is freed (arrays live as long as the model).
 */
const PAGE = 65536;

export class Arena {
  private constructor(readonly memory: WebAssembly.Memory | null) {}

  /** A shared WebAssembly memory arena if possible, else a plain one. `reserveBytes`: expected total size. */
  static create(reserveBytes: number, preferWasm = true): Arena {
    if (preferWasm && wasmUsable()) {
      const pages = Math.ceil(reserveBytes / PAGE) + 1;
      const maximum = Math.min(65536, pages + 8192);
      if (pages <= 65536) {
        try {
          // page 0 stays unused: address 0 means "none" to the kernel
          return new Arena(new WebAssembly.Memory({ initial: 1, maximum, shared: true }));
        } catch {
          // no shared memory here (e.g. a browser page without cross-origin isolation)
        }
      }
    }
    return new Arena(null);
  }

  /** An arena over an existing shared memory (in a worker). */
  static attach(memory: WebAssembly.Memory): Arena {
    return new Arena(memory);
  }

  /** Byte offset of a new page-aligned block in the memory (wasm arenas only). */
  allocBytes(bytes: number): number {
    return this.memory!.grow(Math.max(1, Math.ceil(bytes / PAGE))) * PAGE;
  }

  f32(n: number): { ptr: number; view: Float32Array } {
    if (!this.memory) return { ptr: 0, view: new Float32Array(n) };
    const ptr = this.allocBytes(n * 4);
    return { ptr, view: new Float32Array(this.memory.buffer, ptr, n) };
  }

  u32(n: number): { ptr: number; view: Uint32Array } {
    if (!this.memory) return { ptr: 0, view: new Uint32Array(n) };
    const ptr = this.allocBytes(n * 4);
    return { ptr, view: new Uint32Array(this.memory.buffer, ptr, n) };
  }
}

let usable: boolean | undefined;

/** WebAssembly with SIMD and shared memory, as the pooling kernel needs. */
export function wasmUsable(): boolean {
  if (usable !== undefined) return usable;
  try {
    // (module (func (result v128) v128.const i32x4 0 0 0 0))
    const simd = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
    ]);
    usable = typeof WebAssembly === 'object' && WebAssembly.validate(simd) && typeof SharedArrayBuffer === 'function';
  } catch {
    usable = false;
  }
  return usable;
}
