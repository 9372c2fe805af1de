/**
 * The scans of VectorIndex (exact, binary, int8), one piece of the corpus at a time.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { GROUP, TRIPLE_BYTES, scoresAboveReference, searchInstance, type ScoresAbove } from '../kernels/scan.js';
import { RowHeaps } from '../math/row-heaps.js';

/** Corpus rows per claimed piece (a multiple of SPAN). */
export const PIECE = 16384;
/** Rows per exact kernel call (the thresholds are refreshed between calls). */
const SPAN = 256;

type HammingBelow = (q: number, rows: number, n: number, words: number, limit: number, out: number) => number;
type DotsI8 = (q16: number, rows: number, n: number, w: number, out: number) => void;

/** Where the index's arrays are: byte offsets into `memory` (wasm), or the arrays themselves (js). */
export interface IndexData {
  n: number;
  d: number;
  words: number;
  w16: number;
  memory: WebAssembly.Memory | null;
  blocks: number;
  codes: number;
  i8: number;
  js?: { blocks: Float32Array; codes: BigUint64Array | undefined; i8: Int8Array | undefined };
}

export interface IndexJob {
  type: 'index';
  mode: 'exact' | 'binary' | 'int8';
  data: IndexData;
  nq: number;
  /** entries kept per query: top-k (exact) or candidates (binary, int8) */
  keep: number;
  /** the queries in the mode's form: f32 rows (exact), u64 codes (binary), i16 rows of w16 (int8); byte offset */
  queries: number;
  jsQueries?: Float32Array | BigUint64Array | Int16Array;
  control: Int32Array;
  heaps: SharedArrayBuffer | ArrayBuffer;
  /** per thread: byte offsets of its scratch (thresholds + triples / distance pairs / int32 scores) */
  scratch: number[];
}

/** Scratch bytes one thread needs. */
export function scratchBytes(nq: number): number {
  return (nq + 8) * 4 + Math.max(4 * SPAN * TRIPLE_BYTES, PIECE * 8);
}

export function indexThread(job: IndexJob, thread: number): void {
  const { data, nq, keep, control } = job;
  const heaps = RowHeaps.over(job.heaps, thread * RowHeaps.bytes(nq, keep), nq, keep);
  heaps.reset();
  const pieces = Math.ceil(data.n / PIECE);
  const scan = job.mode === 'exact' ? exactPiece : job.mode === 'binary' ? binaryPiece : int8Piece;
  const scratch = job.scratch[thread] ?? 0;
  for (let p = Atomics.add(control, 0, 1); p < pieces; p = Atomics.add(control, 0, 1)) {
    scan(job, heaps, scratch, p * PIECE, Math.min(data.n, (p + 1) * PIECE));
  }
}

function exactPiece(job: IndexJob, heaps: RowHeaps, scratch: number, c0: number, c1: number): void {
  const { data, nq } = job,
    d = data.d,
    mem = data.memory;
  const fn = mem ? (searchInstance(mem).exports.scores_above as ScoresAbove) : undefined;
  const outPtr = scratch + (nq + 8) * 4;
  const thr = mem ? new Float32Array(mem.buffer, scratch, nq + 8) : new Float32Array(nq + 8);
  for (let i = 0; i < nq; i++) thr[i] = heaps.min(i);
  const ref = mem
    ? undefined
    : { k: new Int32Array(4 * SPAN), row: new Int32Array(4 * SPAN), score: new Float32Array(4 * SPAN) };
  const outI = mem ? new Int32Array(mem.buffer, outPtr, 4 * SPAN * 3) : ref!.k;
  const outF = mem ? new Float32Array(mem.buffer, outPtr, 4 * SPAN * 3) : ref!.score;
  const step = mem ? 3 : 1;
  for (let j0 = c0; j0 < c1; j0 += SPAN) {
    const ng = Math.ceil(Math.min(SPAN, c1 - j0) / GROUP);
    for (let i = 0; i < nq; i += 4) {
      const m = Math.min(4, nq - i);
      const cnt = fn
        ? fn(job.queries + i * d * 4, m, d * 4, data.blocks + j0 * d * 4, ng, d, scratch + i * 4, 0, outPtr)
        : scoresAboveReference(
            job.jsQueries as Float32Array,
            i * d,
            m,
            d,
            data.js!.blocks,
            j0 * d,
            ng,
            d,
            thr,
            i,
            undefined,
            0,
            ref!,
          );
      for (let t = 0; t < cnt; t++) {
        const row = j0 + (mem ? outI[3 * t + 1]! : ref!.row[t]!);
        if (row >= c1) continue;
        const a = i + outI[t * step]!;
        thr[a] = heaps.push(a, outF[t * step + (mem ? 2 : 0)]!, row);
      }
    }
  }
}

/** Binary: a heap over (−distance, −id) keeps the smallest (distance, id) pairs, ties in index order. */
function binaryPiece(job: IndexJob, heaps: RowHeaps, scratch: number, c0: number, c1: number): void {
  const { data, nq } = job,
    words = data.words,
    mem = data.memory,
    nb = c1 - c0;
  const limit = (i: number): number => {
    const m = heaps.min(i);
    return m === -Infinity ? 0x7fffffff : -m - 1;
  };
  if (mem) {
    const fn = searchInstance(mem).exports.hamming_below as HammingBelow;
    const pairs = new Uint32Array(mem.buffer, scratch, nb * 2);
    for (let i = 0; i < nq; i++) {
      const count = fn(job.queries + i * words * 8, data.codes + c0 * words * 8, nb, words, limit(i), scratch);
      for (let c = 0; c < count; c++) heaps.push(i, -pairs[2 * c + 1]!, -(c0 + pairs[2 * c]!));
    }
    return;
  }
  const q = job.jsQueries as BigUint64Array,
    codes = data.js!.codes!;
  const dist = new Uint32Array(nb);
  for (let i = 0; i < nq; i++) {
    hammingReference(q.subarray(i * words, (i + 1) * words), codes.subarray(c0 * words, c1 * words), nb, words, dist);
    let min = heaps.min(i);
    for (let k = 0; k < nb; k++) if (-dist[k]! >= min) min = heaps.push(i, -dist[k]!, -(c0 + k));
  }
}

function int8Piece(job: IndexJob, heaps: RowHeaps, scratch: number, c0: number, c1: number): void {
  const { data, nq } = job,
    w16 = data.w16,
    mem = data.memory,
    nb = c1 - c0;
  let out: Int32Array;
  if (mem) out = new Int32Array(mem.buffer, scratch, nb);
  else out = new Int32Array(nb);
  const fn = mem ? (searchInstance(mem).exports.dots_i8 as DotsI8) : undefined;
  for (let i = 0; i < nq; i++) {
    if (fn) fn(job.queries + i * w16 * 2, data.i8 + c0 * w16, nb, w16, scratch);
    else
      dotsI8Reference(
        (job.jsQueries as Int16Array).subarray(i * w16, (i + 1) * w16),
        data.js!.i8!.subarray(c0 * w16, c1 * w16),
        nb,
        w16,
        out,
      );
    let min = heaps.min(i);
    for (let k = 0; k < nb; k++) if (out[k]! >= min) min = heaps.push(i, out[k]!, c0 + k);
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** The plain-loop reference of the `dots_i8` kernel (exact integer arithmetic). */
export function dotsI8Reference(q16: Int16Array, codes: Int8Array, n: number, w: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < w; j++) s += q16[j]! * codes[i * w + j]!;
    out[i] = s;
  }
}

/** The plain-loop reference of the `hamming` kernels: popcount(q xor row) over `words` 64-bit words per row. */
export function hammingReference(
  q: BigUint64Array,
  codes: BigUint64Array,
  n: number,
  words: number,
  out: Uint32Array,
): void {
  const q32 = new Uint32Array(q.buffer, q.byteOffset, words * 2);
  const c32 = new Uint32Array(codes.buffer, codes.byteOffset, n * words * 2);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let w = 0; w < words * 2; w++) s += popcount32((q32[w]! ^ c32[i * words * 2 + w]!) >>> 0);
    out[i] = s;
  }
}
