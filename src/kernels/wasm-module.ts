/** Compiling the WebAssembly kernels shipped as base64 (src/wasm/*-wasm.ts), in any runtime. */
function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  if (typeof atob === 'function') {
    const s = atob(b64);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  return Uint8Array.from(Buffer.from(b64, 'base64'));
}

export function compileWasm(base64: string): WebAssembly.Module {
  return new WebAssembly.Module(base64Bytes(base64));
}
