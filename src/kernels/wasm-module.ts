/** Compiling the WebAssembly kernels shipped as base64 (src/kernels/*-wasm.ts), in any runtime. */
function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Compiles a kernel. `sharedMemory: false` turns its imported shared memory into an ordinary one, for runtimes
 * without SharedArrayBuffer (a web page without cross-origin isolation); the code is the same.
 */
export function compileWasm(base64: string, sharedMemory = true): WebAssembly.Module {
  const bytes = base64Bytes(base64);
  return new WebAssembly.Module(sharedMemory ? bytes : unshareMemoryImport(bytes));
}

function leb(b: Uint8Array, p: number): [number, number] {
  let v = 0,
    shift = 0;
  for (;;) {
    const x = b[p++]!;
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if (x < 0x80) return [v, p];
  }
}

/** The module with the `shared` flag of its imported memory's limits cleared (same length, same code). */
export function unshareMemoryImport(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  let p = 8;
  while (p < out.length) {
    const id = out[p++]!;
    const [size, start] = leb(out, p);
    if (id === 2) {
      let [count, q] = leb(out, start);
      for (; count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const [len, r] = leb(out, q);
          q = r + len;
        }
        const kind = out[q++]!;
        if (kind === 0x02) {
          out[q] = out[q]! & ~0x02; // limits flags: bit 1 = shared
          return out;
        }
        if (kind === 0x00) q = leb(out, q)[1];
        else if (kind === 0x01) {
          const flags = out[q + 1]!;
          q = leb(out, q + 2)[1];
          if (flags & 1) q = leb(out, q)[1];
        } else if (kind === 0x03) q += 2;
      }
    }
    p = start + size;
  }
  return out;
}
