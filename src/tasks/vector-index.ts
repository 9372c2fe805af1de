/**
 * A corpus of embeddings held for fast top-k search: the rows (unit length for cosine) live in WebAssembly
 * memory, read by a SIMD kernel that scores four queries per pass over the corpus; optional binary codes
 * (the sign bits, as `ubinary`) give a fast approximate path — Hamming distance with 64-bit popcounts, then
 * the best `rescore × topK` candidates rescored with the float vectors. Without WebAssembly SIMD the same runs
 * as plain loops (the reference; identical results).
 */
import { StaticEmbedError } from '../errors.js';
import { Arena, wasmUsable } from '../kernels/arena.js';
import { Matrix } from '../math/matrix.js';
import { TopK } from '../math/topk.js';
import { WASM_BASE64 } from '../wasm/search-wasm.js';
import { positiveInt, type SearchHit } from './search.js';

type Dots = (q: number, nq: number, rows: number, n: number, d: number, out: number) => void;
type Hamming = (q: number, rows: number, n: number, words: number, out: number) => void;

export interface VectorIndexOptions {
  /** score by cosine (rows and queries normalized; default) or by dot product */
  scoreFunction?: 'cosine' | 'dot';
  /** also build binary codes for `mode: 'binary'` (default true) */
  binary?: boolean;
  /** 'js' forces the plain loops */
  kernel?: 'auto' | 'js';
}

export interface IndexSearchOptions {
  topK?: number;
  /** 'exact' (default) or 'binary' (Hamming candidates, float rescoring) */
  mode?: 'exact' | 'binary';
  /** binary mode: candidates = rescore × topK (default 10) */
  rescore?: number;
}

let module: WebAssembly.Module | undefined;

function b64(s: string): Uint8Array<ArrayBuffer> {
  if (typeof atob === 'function') return Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  return Uint8Array.from(Buffer.from(s, 'base64'));
}

export class VectorIndex {
  readonly rows: number;
  readonly dim: number;
  /** row width padded to a multiple of 4 */
  private readonly width: number;
  private readonly words: number;
  private readonly arena: Arena;
  private readonly data: Float32Array;
  private readonly dataPtr: number;
  private readonly codes: BigUint64Array | undefined;
  private readonly codesPtr: number;
  private readonly kernels: { dots: Dots; hamming: Hamming } | undefined;
  private scratch: { ptr: number; bytes: number } | undefined;

  private constructor(corpus: Matrix, readonly options: VectorIndexOptions) {
    const n = corpus.rows, d = corpus.cols;
    this.rows = n;
    this.dim = d;
    this.width = Math.ceil(d / 4) * 4;
    this.words = Math.ceil(d / 64);
    const binary = options.binary !== false;
    const useWasm = options.kernel !== 'js' && wasmUsable();
    this.arena = Arena.create(n * this.width * 4 + (binary ? n * this.words * 8 : 0), useWasm);
    const t = this.arena.f32(n * this.width);
    this.data = t.view;
    this.dataPtr = t.ptr;
    const cosine = (options.scoreFunction ?? 'cosine') === 'cosine';
    for (let i = 0; i < n; i++) this.putRow(this.data, i * this.width, corpus.data, i * d, cosine);
    if (binary) {
      if (this.arena.memory) {
        const ptr = this.arena.allocBytes(n * this.words * 8);
        this.codes = new BigUint64Array(this.arena.memory.buffer, ptr, n * this.words);
        this.codesPtr = ptr;
      } else {
        this.codes = new BigUint64Array(n * this.words);
        this.codesPtr = 0;
      }
      for (let i = 0; i < n; i++) this.putCode(this.codes, i * this.words, this.data, i * this.width);
    } else {
      this.codes = undefined;
      this.codesPtr = 0;
    }
    if (this.arena.memory) {
      module ??= new WebAssembly.Module(b64(WASM_BASE64));
      const inst = new WebAssembly.Instance(module, { env: { memory: this.arena.memory } });
      this.kernels = { dots: inst.exports.dots as Dots, hamming: inst.exports.hamming as Hamming };
    } else this.kernels = undefined;
  }

  static build(corpus: Matrix, options: VectorIndexOptions = {}): VectorIndex {
    if (corpus.rows === 0) throw new StaticEmbedError('INVALID_ARGUMENT', 'Cannot build an index of zero embeddings.');
    return new VectorIndex(corpus, options);
  }

  get kernel(): 'wasm-simd' | 'js' {
    return this.kernels ? 'wasm-simd' : 'js';
  }

  /** Row (padded, normalized when cosine) into `dst`. */
  private putRow(dst: Float32Array, o: number, src: Float32Array, s: number, cosine: boolean): void {
    const d = this.dim;
    let norm = 1;
    if (cosine) {
      let ss = 0;
      for (let j = 0; j < d; j++) ss += src[s + j]! * src[s + j]!;
      norm = 1 / Math.max(Math.sqrt(ss), 1e-12);
    }
    for (let j = 0; j < d; j++) dst[o + j] = src[s + j]! * norm;
    for (let j = d; j < this.width; j++) dst[o + j] = 0;
  }

  /** Sign bits of a row, first dimension in the lowest bit of the first word. */
  private putCode(dst: BigUint64Array, o: number, src: Float32Array, s: number): void {
    for (let w = 0; w < this.words; w++) {
      let lo = 0, hi = 0;
      for (let b = 0; b < 64; b++) {
        const j = w * 64 + b;
        if (j < this.dim && src[s + j]! > 0) { if (b < 32) lo |= 1 << b; else hi |= 1 << (b - 32); }
      }
      dst[o + w] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    }
  }

  private scratchFor(bytes: number): number {
    if (!this.scratch || this.scratch.bytes < bytes) this.scratch = { ptr: this.arena.allocBytes(bytes), bytes };
    return this.scratch.ptr;
  }

  search(queries: Matrix, options: IndexSearchOptions = {}): SearchHit[][] {
    if (queries.cols !== this.dim) throw new StaticEmbedError('INVALID_ARGUMENT', `Queries have ${queries.cols} dimensions; the index has ${this.dim}.`);
    const topK = Math.min(positiveInt('topK', options.topK, 10), this.rows);
    const mode = options.mode ?? 'exact';
    if (mode !== 'exact' && mode !== 'binary') throw new StaticEmbedError('INVALID_ARGUMENT', `mode must be "exact" or "binary", got ${JSON.stringify(mode)}.`);
    if (mode === 'binary' && !this.codes) throw new StaticEmbedError('INVALID_ARGUMENT', 'This index was built with binary: false; rebuild it with binary codes for mode "binary".');
    const cosine = (this.options.scoreFunction ?? 'cosine') === 'cosine';
    const w = this.width, n = this.rows;
    const q = new Float32Array(queries.rows * w);
    for (let i = 0; i < queries.rows; i++) this.putRow(q, i * w, queries.data, i * this.dim, cosine);
    return mode === 'exact' ? this.exact(q, queries.rows, topK) : this.binary(q, queries.rows, topK, positiveInt('rescore', options.rescore, 10) * topK, n);
  }

  private exact(q: Float32Array, nq: number, topK: number): SearchHit[][] {
    const w = this.width, n = this.rows;
    const out: SearchHit[][] = [];
    const scores = this.kernels ? undefined : new Float32Array(4 * n);
    for (let q0 = 0; q0 < nq; q0 += 4) {
      const m = Math.min(4, nq - q0);
      let view: Float32Array;
      if (this.kernels) {
        const base = this.scratchFor(4 * w * 4 + 4 * n * 4);
        const mem = this.arena.memory!.buffer;
        new Float32Array(mem, base, m * w).set(q.subarray(q0 * w, (q0 + m) * w));
        this.kernels.dots(base, m, this.dataPtr, n, w, base + 4 * w * 4);
        view = new Float32Array(mem, base + 4 * w * 4, m * n);
      } else {
        dotsReference(q, q0 * w, m, this.data, n, w, scores!);
        view = scores!;
      }
      for (let k = 0; k < m; k++) out.push(topOf(view, k * n, n, topK));
    }
    return out;
  }

  private binary(q: Float32Array, nq: number, topK: number, candidates: number, n: number): SearchHit[][] {
    const w = this.width, words = this.words;
    const code = new BigUint64Array(words);
    const out: SearchHit[][] = [];
    const dist = this.kernels ? undefined : new Uint32Array(n);
    const hist = new Uint32Array(this.dim + 2);
    const want = Math.min(candidates, n);
    for (let i = 0; i < nq; i++) {
      this.putCode(code, 0, q, i * w);
      let d: Uint32Array;
      if (this.kernels) {
        const base = this.scratchFor(words * 8 + n * 4);
        const mem = this.arena.memory!.buffer;
        new BigUint64Array(mem, base, words).set(code);
        this.kernels.hamming(base, this.codesPtr, n, words, base + words * 8);
        d = new Uint32Array(mem, base + words * 8, n);
      } else {
        hammingReference(code, this.codes!, n, words, dist!);
        d = dist!;
      }
      // the `want` nearest codes: a histogram of distances gives the cut-off, ties taken in index order
      hist.fill(0);
      for (let k = 0; k < n; k++) hist[d[k]!]!++;
      let cut = 0, below = 0;
      while (below + hist[cut]! < want) below += hist[cut++]!;
      let atCut = want - below;
      const heap = new TopK(topK);
      for (let k = 0; k < n; k++) {
        const dk = d[k]!;
        if (dk > cut || (dk === cut && atCut-- <= 0)) continue;
        let s = 0;
        for (let j = 0; j < w; j++) s += q[i * w + j]! * this.data[k * w + j]!;
        heap.push(Math.fround(s), k);
      }
      out.push(heap.sorted().map((h) => ({ corpusId: h.id, score: h.score })));
    }
    return out;
  }
}

function topOf(scores: Float32Array, o: number, n: number, k: number): SearchHit[] {
  const heap = new TopK(k);
  let min = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = scores[o + i]!;
    if (s >= min) { heap.push(s, i); min = heap.min; }
  }
  return heap.sorted().map((h) => ({ corpusId: h.id, score: h.score }));
}

/** The plain-loop reference of the `dots` kernel: four f32 lane sums, then (l0 + l1) + (l2 + l3). */
export function dotsReference(q: Float32Array, qo: number, nq: number, rows: Float32Array, n: number, w: number, out: Float32Array): void {
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nq; k++) {
      let l0 = 0, l1 = 0, l2 = 0, l3 = 0;
      for (let j = 0; j < w; j += 4) {
        const a = qo + k * w + j, b = i * w + j;
        l0 = f(l0 + f(rows[b]! * q[a]!)); l1 = f(l1 + f(rows[b + 1]! * q[a + 1]!));
        l2 = f(l2 + f(rows[b + 2]! * q[a + 2]!)); l3 = f(l3 + f(rows[b + 3]! * q[a + 3]!));
      }
      out[k * n + i] = f(f(l0 + l1) + f(l2 + l3));
    }
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function hammingReference(q: BigUint64Array, codes: BigUint64Array, n: number, words: number, out: Uint32Array): void {
  const q32 = new Uint32Array(q.buffer, q.byteOffset, words * 2);
  const c32 = new Uint32Array(codes.buffer, codes.byteOffset, n * words * 2);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let w = 0; w < words * 2; w++) s += popcount32((q32[w]! ^ c32[i * words * 2 + w]!) >>> 0);
    out[i] = s;
  }
}
