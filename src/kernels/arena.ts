/**
 * Where a model's arrays live: a shared WebAssembly.Memory, a private one, or plain ArrayBuffers.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { shareableBuffer } from './shareable.js';

const PAGE = 65536;

export class Arena {
  /** private memories: the next free byte */
  private next = PAGE;

  private constructor(
    readonly memory: WebAssembly.Memory | null,
    /** whether `memory` is shared (worker threads can use it) */
    readonly shared = memory !== null,
  ) {}

  /**
   * A shared WebAssembly memory arena if possible; else, with `privateBytes`, a private memory of that many bytes
   * (everything the caller will allocate in it, page-rounded per block) when the runtime has SIMD; else a plain one.
   * `reserveBytes`: expected total size.
   */
  static create(reserveBytes: number, preferWasm = true, privateBytes?: number): Arena {
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
    if (preferWasm && privateBytes !== undefined && simdUsable()) {
      const pages = Math.ceil(privateBytes / PAGE) + 1;
      if (pages <= 65536) {
        try {
          return new Arena(new WebAssembly.Memory({ initial: pages, maximum: pages }), false);
        } catch {
          // not enough memory for it: plain arrays
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
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    if (this.shared) return this.memory!.grow(pages) * PAGE;
    if (this.next + pages * PAGE > this.memory!.buffer.byteLength) return -1;
    const ptr = this.next;
    this.next += pages * PAGE;
    return ptr;
  }

  private block(bytes: number): number {
    const ptr = this.allocBytes(bytes);
    if (ptr < 0) throw new Error(`Arena: a private memory of ${this.memory!.buffer.byteLength} bytes is full`);
    return ptr;
  }

  f32(n: number): { ptr: number; view: Float32Array } {
    if (!this.memory) return { ptr: 0, view: new Float32Array(this.plain(n * 4)) };
    const ptr = this.block(n * 4);
    return { ptr, view: new Float32Array(this.memory.buffer, ptr, n) };
  }

  u32(n: number): { ptr: number; view: Uint32Array } {
    if (!this.memory) return { ptr: 0, view: new Uint32Array(this.plain(n * 4)) };
    const ptr = this.block(n * 4);
    return { ptr, view: new Uint32Array(this.memory.buffer, ptr, n) };
  }

  u16(n: number): { ptr: number; view: Uint16Array } {
    if (!this.memory) return { ptr: 0, view: new Uint16Array(this.plain(n * 2)) };
    const ptr = this.block(n * 2);
    return { ptr, view: new Uint16Array(this.memory.buffer, ptr, n) };
  }

  i8(n: number): { ptr: number; view: Int8Array } {
    if (!this.memory) return { ptr: 0, view: new Int8Array(this.plain(n)) };
    const ptr = this.block(n);
    return { ptr, view: new Int8Array(this.memory.buffer, ptr, n) };
  }

  /** Arrays of an arena without memory: SharedArrayBuffers when asked for (a model's, shared with workers). */
  private plain(bytes: number): ArrayBuffer | SharedArrayBuffer {
    return this.shareablePlain ? shareableBuffer(bytes) : new ArrayBuffer(bytes);
  }

  /** Set on a model's arena: arrays outside WebAssembly memory go into SharedArrayBuffers where possible. */
  shareablePlain = false;
}

let simd: boolean | undefined;

/** WebAssembly with SIMD (shared memory or not). */
export function simdUsable(): boolean {
  if (simd !== undefined) return simd;
  try {
    // (module (func (result v128) v128.const i32x4 0 0 0 0))
    const bytes = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
    ]);
    simd = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch {
    simd = false;
  }
  return simd;
}

/** WebAssembly with SIMD and shared memory, as the pooling kernel needs to share a model with threads. */
export function wasmUsable(): boolean {
  return simdUsable() && typeof SharedArrayBuffer === 'function';
}
