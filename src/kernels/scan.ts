/**
 * The thresholded scoring kernel of search and mining (`scores_above`) and its plain reference.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { WASM_BASE64 } from './search-wasm.js';
import { compileWasm } from './wasm-module.js';

/** Rows per group of the kernel (two blocks of four). */
export const GROUP = 8;
/** Bytes per emitted triple: i32 query, i32 row, f32 score. */
export const TRIPLE_BYTES = 12;

export type ScoresAbove = (
  q: number,
  nq: number,
  qstride: number,
  rows: number,
  ng: number,
  d: number,
  qthr: number,
  rthr: number,
  out: number,
) => number;

let module: WebAssembly.Module | undefined;

export function searchModule(): WebAssembly.Module {
  module ??= compileWasm(WASM_BASE64);
  return module;
}

const instances = new WeakMap<WebAssembly.Memory, WebAssembly.Instance>();

/** The search kernels over a (shared) memory, instantiated once per memory and thread. */
export function searchInstance(memory: WebAssembly.Memory): WebAssembly.Instance {
  let inst = instances.get(memory);
  if (!inst) {
    inst = new WebAssembly.Instance(searchModule(), { env: { memory } });
    instances.set(memory, inst);
  }
  return inst;
}

/** Floats the block layout of `n` rows of `d` dimensions takes (rows padded with zeros to a multiple of 8). */
export function blockFloats(n: number, d: number): number {
  return Math.ceil(n / GROUP) * GROUP * d;
}

/**
 * Rows [from, from + n) of the row-major `src` (d columns) into the block layout at dst[0…]; with `unit`, each
 * row scaled to unit length on the way exactly as `normalized` scales it (no copy of the rows needed).
 */
export function toBlocks(src: Float32Array, from: number, n: number, d: number, dst: Float32Array, unit = false): void {
  const padded = Math.ceil(n / GROUP) * GROUP;
  for (let r = 0; r < padded; r++) {
    const base = (r >> 2) * d * 4 + (r & 3);
    if (r < n) {
      const s = (from + r) * d;
      let inv = 1;
      if (unit) {
        let ss = 0;
        for (let j = 0; j < d; j++) ss += src[s + j]! * src[s + j]!;
        inv = 1 / Math.max(Math.sqrt(ss), 1e-12);
      }
      if (unit) for (let j = 0; j < d; j++) dst[base + j * 4] = src[s + j]! * inv;
      else for (let j = 0; j < d; j++) dst[base + j * 4] = src[s + j]!;
    } else for (let j = 0; j < d; j++) dst[base + j * 4] = 0;
  }
}

/**
 * The plain-loop reference of `scores_above`: same scores (f32 products in dimension order), same triples in the same
 * order. `q` row-major (`qstride` floats per row from `qo`); `rows` in block layout from `ro`.
 */
export function scoresAboveReference(
  q: Float32Array,
  qo: number,
  nq: number,
  qstride: number,
  rows: Float32Array,
  ro: number,
  ng: number,
  d: number,
  qthr: Float32Array,
  qto: number,
  rthr: Float32Array | undefined,
  rto: number,
  out: { k: Int32Array; row: Int32Array; score: Float32Array },
): number {
  const f = Math.fround;
  let count = 0;
  const s = new Float32Array(4 * GROUP);
  for (let g = 0; g < ng; g++) {
    for (let k = 0; k < 4; k++) {
      const qk = qo + Math.min(k, nq - 1) * qstride;
      for (let r = 0; r < GROUP; r++) {
        const base = ro + (g * 2 + (r >> 2)) * d * 4 + (r & 3);
        let acc = 0;
        for (let j = 0; j < d; j++) acc = f(acc + f(rows[base + j * 4]! * q[qk + j]!));
        s[k * GROUP + r] = acc;
      }
    }
    for (let k = 0; k < nq; k++) {
      const t = qthr[qto + k]!;
      for (let r = 0; r < GROUP; r++) {
        const sc = s[k * GROUP + r]!;
        const rt = rthr ? rthr[rto + g * GROUP + r]! : Infinity;
        if (sc >= t || sc >= rt) {
          out.k[count] = k;
          out.row[count] = g * GROUP + r;
          out.score[count] = sc;
          count++;
        }
      }
    }
  }
  return count;
}
