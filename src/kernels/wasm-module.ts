/** Compiling the WebAssembly kernels shipped as base64 (src/kernels/*-wasm.ts), in any runtime. */
function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function compileWasm(base64: string): WebAssembly.Module {
  return new WebAssembly.Module(base64Bytes(base64));
}
