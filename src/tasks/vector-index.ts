/**
 * A corpus of embeddings held for fast top-k search: the rows (unit length for cosine) live in WebAssembly
 * memory, read by a SIMD kernel that scores four queries per pass over the corpus; optional binary codes
 * (the sign bits, as `ubinary`) give a fast approximate path — Hamming distance with 64-bit popcounts, then
 * the best `rescore × topK` candidates rescored with the float vectors. Without WebAssembly SIMD the same runs
 * as plain loops (the reference; identical results).
 */
import { StaticEmbedError } from '../errors.js';
import { Arena, wasmUsable } from '../kernels/arena.js';
import { compileWasm } from '../kernels/wasm-module.js';
import { Matrix } from '../math/matrix.js';
import { TopK } from '../math/topk.js';
import { WASM_BASE64 } from '../kernels/search-wasm.js';
import { positiveInt, type SearchHit } from './search.js';

type Dots = (q: number, nq: number, rows: number, n: number, d: number, out: number) => void;
type Hamming = (q: number, rows: number, n: number, words: number, out: number) => void;
type DotsI8 = (q16: number, rows: number, n: number, w: number, out: number) => void;
type HammingBelow = (q: number, rows: number, n: number, words: number, limit: number, out: number) => number;

export interface VectorIndexOptions {
  /** score by cosine (rows and queries normalized; default) or by dot product */
  scoreFunction?: 'cosine' | 'dot';
  /** also build binary codes for `mode: 'binary'` (default true) */
  binary?: boolean;
  /** also build int8 codes (per-dimension scales) for `mode: 'int8'` (default false; 1 byte per value) */
  int8?: boolean;
  /** 'js' forces the plain loops */
  kernel?: 'auto' | 'js';
}

export interface IndexSearchOptions {
  topK?: number;
  /** 'exact' (default), 'binary' (Hamming candidates) or 'int8' (integer dot-product candidates), with float rescoring */
  mode?: 'exact' | 'binary' | 'int8';
  /** binary and int8 modes: candidates = rescore × topK (default 10) */
  rescore?: number;
}

let module: WebAssembly.Module | undefined;

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
  private readonly kernels: { dots: Dots; hamming: Hamming; dotsI8: DotsI8; hammingBelow: HammingBelow } | undefined;
  /** int8 codes: width padded to 16, per-dimension scales */
  private readonly i8: { codes: Int8Array; ptr: number; width: number; scales: Float64Array } | undefined;
  private scratch: { ptr: number; bytes: number } | undefined;

  private constructor(
    corpus: Matrix,
    readonly options: VectorIndexOptions,
  ) {
    const n = corpus.rows,
      d = corpus.cols;
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
    this.i8 = options.int8 ? this.buildInt8() : undefined;
    if (this.arena.memory) {
      module ??= compileWasm(WASM_BASE64);
      const inst = new WebAssembly.Instance(module, { env: { memory: this.arena.memory } });
      this.kernels = {
        dots: inst.exports.dots as Dots,
        hamming: inst.exports.hamming as Hamming,
        dotsI8: inst.exports.dots_i8 as DotsI8,
        hammingBelow: inst.exports.hamming_below as HammingBelow,
      };
    } else this.kernels = undefined;
  }

  static build(corpus: Matrix, options: VectorIndexOptions = {}): VectorIndex {
    if (corpus.rows === 0) throw new StaticEmbedError('INVALID_ARGUMENT', 'Cannot build an index of zero embeddings.');
    return new VectorIndex(corpus, options);
  }

  get kernel(): 'wasm-simd' | 'js' {
    return this.kernels ? 'wasm-simd' : 'js';
  }

  /** Symmetric per-dimension int8 codes of the (normalized) rows: code = round(x / scale), scale = max|x| / 127. */
  private buildInt8(): { codes: Int8Array; ptr: number; width: number; scales: Float64Array } {
    const n = this.rows,
      d = this.dim,
      w = this.width,
      w16 = Math.ceil(d / 16) * 16;
    const scales = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) scales[j] = Math.max(scales[j]!, Math.abs(this.data[i * w + j]!));
    for (let j = 0; j < d; j++) scales[j] = scales[j]! > 0 ? scales[j]! / 127 : 1;
    let codes: Int8Array,
      ptr = 0;
    if (this.arena.memory) {
      ptr = this.arena.allocBytes(n * w16);
      codes = new Int8Array(this.arena.memory.buffer, ptr, n * w16);
    } else codes = new Int8Array(n * w16);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) codes[i * w16 + j] = Math.round(this.data[i * w + j]! / scales[j]!);
    return { codes, ptr, width: w16, scales };
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
      let lo = 0,
        hi = 0;
      for (let b = 0; b < 64; b++) {
        const j = w * 64 + b;
        if (j < this.dim && src[s + j]! > 0) {
          if (b < 32) lo |= 1 << b;
          else hi |= 1 << (b - 32);
        }
      }
      dst[o + w] = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    }
  }

  private scratchFor(bytes: number): number {
    if (!this.scratch || this.scratch.bytes < bytes) this.scratch = { ptr: this.arena.allocBytes(bytes), bytes };
    return this.scratch.ptr;
  }

  search(queries: Matrix, options: IndexSearchOptions = {}): SearchHit[][] {
    if (queries.cols !== this.dim)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Queries have ${queries.cols} dimensions; the index has ${this.dim}.`,
      );
    const topK = Math.min(positiveInt('topK', options.topK, 10), this.rows);
    const mode = options.mode ?? 'exact';
    if (mode !== 'exact' && mode !== 'binary' && mode !== 'int8')
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `mode must be "exact", "binary" or "int8", got ${JSON.stringify(mode)}.`,
      );
    if (mode === 'binary' && !this.codes)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'This index was built with binary: false; rebuild it with binary codes for mode "binary".',
      );
    if (mode === 'int8' && !this.i8)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'This index has no int8 codes; build it with { int8: true } for mode "int8".',
      );
    const cosine = (this.options.scoreFunction ?? 'cosine') === 'cosine';
    const w = this.width,
      n = this.rows;
    const q = new Float32Array(queries.rows * w);
    for (let i = 0; i < queries.rows; i++) this.putRow(q, i * w, queries.data, i * this.dim, cosine);
    if (mode === 'exact') return this.exact(q, queries.rows, topK);
    const candidates = positiveInt('rescore', options.rescore, 10) * topK;
    return mode === 'binary'
      ? this.binary(q, queries.rows, topK, candidates, n)
      : this.int8(q, queries.rows, topK, candidates);
  }

  /**
   * Exact top-k: the corpus is walked in blocks that stay in cache while every query (four per kernel call) is
   * scored against them, so memory is read once per search rather than once per query.
   */
  private exact(q: Float32Array, nq: number, topK: number): SearchHit[][] {
    const w = this.width,
      n = this.rows;
    const block = Math.max(256, Math.floor((2 << 20) / (w * 4)));
    const heaps = Array.from({ length: nq }, () => new TopK(topK));
    const mins = new Float64Array(nq).fill(-Infinity);
    let qPtr = 0,
      outPtr = 0;
    let out: Float32Array;
    if (this.kernels) {
      const base = this.scratchFor(nq * w * 4 + 4 * block * 4);
      new Float32Array(this.arena.memory!.buffer, base, nq * w).set(q.subarray(0, nq * w));
      qPtr = base;
      outPtr = base + nq * w * 4;
      out = new Float32Array(this.arena.memory!.buffer, outPtr, 4 * block);
    } else out = new Float32Array(4 * block);
    for (let b0 = 0; b0 < n; b0 += block) {
      const nb = Math.min(block, n - b0);
      for (let q0 = 0; q0 < nq; q0 += 4) {
        const m = Math.min(4, nq - q0);
        if (this.kernels) this.kernels.dots(qPtr + q0 * w * 4, m, this.dataPtr + b0 * w * 4, nb, w, outPtr);
        else dotsReference(q, q0 * w, m, this.data.subarray(b0 * w, (b0 + nb) * w), nb, w, out);
        for (let k = 0; k < m; k++) {
          const heap = heaps[q0 + k]!;
          let min = mins[q0 + k]!;
          const o = k * nb;
          for (let i = 0; i < nb; i++) {
            const sc = out[o + i]!;
            if (sc >= min) {
              heap.push(sc, b0 + i);
              min = heap.min;
            }
          }
          mins[q0 + k] = min;
        }
      }
    }
    return heaps.map((h) => h.sorted().map((x) => ({ corpusId: x.id, score: x.score })));
  }

  /**
   * Binary codes: the `want` nearest codes by Hamming distance (ties in index order) for every query, block by
   * block like the exact path, then those candidates rescored with the float vectors.
   */
  private binary(q: Float32Array, nq: number, topK: number, candidates: number, n: number): SearchHit[][] {
    const w = this.width,
      words = this.words;
    const want = Math.min(candidates, n);
    const block = Math.max(1024, Math.floor((2 << 20) / (words * 8)));
    const codes = new BigUint64Array(nq * words);
    for (let i = 0; i < nq; i++) this.putCode(codes, i * words, q, i * w);
    const near = Array.from({ length: nq }, () => new NearestCodes(want));
    let dist: Uint32Array,
      qPtr = 0,
      outPtr = 0;
    if (this.kernels) {
      const base = this.scratchFor(nq * words * 8 + block * 8);
      new BigUint64Array(this.arena.memory!.buffer, base, nq * words).set(codes);
      qPtr = base;
      outPtr = base + nq * words * 8;
      dist = new Uint32Array(this.arena.memory!.buffer, outPtr, block * 2);
    } else dist = new Uint32Array(block);
    for (let b0 = 0; b0 < n; b0 += block) {
      const nb = Math.min(block, n - b0);
      for (let i = 0; i < nq; i++) {
        const nearest = near[i]!;
        if (this.kernels) {
          // only rows that can still enter come back: distance below the worst kept one (ids only grow)
          const count = this.kernels.hammingBelow(
            qPtr + i * words * 8,
            this.codesPtr + b0 * words * 8,
            nb,
            words,
            nearest.limit,
            outPtr,
          );
          nearest.scanPairs(dist, count, b0);
        } else {
          hammingReference(
            codes.subarray(i * words, (i + 1) * words),
            this.codes!.subarray(b0 * words, (b0 + nb) * words),
            nb,
            words,
            dist,
          );
          nearest.scan(dist, nb, b0);
        }
      }
    }
    return near.map((c, i) => this.rescore(q, i, c.ids(), topK));
  }

  /** Candidates by int8 dot product (query scaled per dimension, quantized to int16), rescored with floats. */
  private int8(q: Float32Array, nq: number, topK: number, candidates: number): SearchHit[][] {
    const { codes, ptr, width: w16, scales } = this.i8!;
    const w = this.width,
      d = this.dim,
      n = this.rows;
    const qmax = Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * w16)));
    const q16 = new Int16Array(nq * w16);
    for (let i = 0; i < nq; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(q[i * w + j]! * scales[j]!));
      const s = m > 0 ? qmax / m : 1;
      for (let j = 0; j < d; j++) q16[i * w16 + j] = Math.round(q[i * w + j]! * scales[j]! * s);
    }
    const block = Math.max(1024, Math.floor((2 << 20) / w16));
    const heaps = Array.from({ length: nq }, () => new TopK(Math.min(candidates, n)));
    let out: Int32Array,
      qPtr = 0,
      outPtr = 0;
    if (this.kernels) {
      const base = this.scratchFor(nq * w16 * 2 + block * 4);
      new Int16Array(this.arena.memory!.buffer, base, nq * w16).set(q16);
      qPtr = base;
      outPtr = base + nq * w16 * 2;
      out = new Int32Array(this.arena.memory!.buffer, outPtr, block);
    } else out = new Int32Array(block);
    for (let b0 = 0; b0 < n; b0 += block) {
      const nb = Math.min(block, n - b0);
      for (let i = 0; i < nq; i++) {
        if (this.kernels) this.kernels.dotsI8(qPtr + i * w16 * 2, ptr + b0 * w16, nb, w16, outPtr);
        else
          dotsI8Reference(
            q16.subarray(i * w16, (i + 1) * w16),
            codes.subarray(b0 * w16, (b0 + nb) * w16),
            nb,
            w16,
            out,
          );
        const heap = heaps[i]!;
        let min = heap.min;
        for (let k = 0; k < nb; k++)
          if (out[k]! >= min) {
            heap.push(out[k]!, b0 + k);
            min = heap.min;
          }
      }
    }
    return heaps.map((h, i) =>
      this.rescore(
        q,
        i,
        h.sorted().map((x) => x.id),
        topK,
      ),
    );
  }

  /** Candidates rescored with the float vectors: the top k by the real score. */
  private rescore(q: Float32Array, i: number, ids: readonly number[], topK: number): SearchHit[] {
    const w = this.width;
    const heap = new TopK(topK);
    for (const k of ids) {
      let s = 0;
      for (let j = 0; j < w; j++) s += q[i * w + j]! * this.data[k * w + j]!;
      heap.push(Math.fround(s), k);
    }
    return heap.sorted().map((h) => ({ corpusId: h.id, score: h.score }));
  }
}

/**
 * The `k` nearest codes: a TopK over (−distance, −id), i.e. the smallest (distance, id) pairs, so ties keep the
 * smaller index as the histogram of scikit-style selection would.
 */
class NearestCodes {
  private readonly top: TopK;
  constructor(k: number) {
    this.top = new TopK(k);
  }
  /** Largest distance that can still enter (ids only grow, so an equal distance never does). */
  get limit(): number {
    const m = this.top.min;
    return m === -Infinity ? 0x7fffffff : -m - 1;
  }
  /** (index, distance) pairs from the filtering kernel. */
  scanPairs(pairs: Uint32Array, count: number, offset: number): void {
    for (let c = 0; c < count; c++) this.top.push(-pairs[2 * c + 1]!, -(offset + pairs[2 * c]!));
  }
  scan(dist: Uint32Array, n: number, offset: number): void {
    let min = this.top.min;
    for (let i = 0; i < n; i++) {
      if (-dist[i]! < min) continue;
      this.top.push(-dist[i]!, -(offset + i));
      min = this.top.min;
    }
  }
  ids(): number[] {
    return this.top
      .sorted()
      .map((x) => -x.id)
      .sort((a, b) => a - b);
  }
}

/** The plain-loop reference of the `dots` kernel: four f32 lane sums, then (l0 + l1) + (l2 + l3). */
export function dotsReference(
  q: Float32Array,
  qo: number,
  nq: number,
  rows: Float32Array,
  n: number,
  w: number,
  out: Float32Array,
): void {
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < nq; k++) {
      let l0 = 0,
        l1 = 0,
        l2 = 0,
        l3 = 0;
      for (let j = 0; j < w; j += 4) {
        const a = qo + k * w + j,
          b = i * w + j;
        l0 = f(l0 + f(rows[b]! * q[a]!));
        l1 = f(l1 + f(rows[b + 1]! * q[a + 1]!));
        l2 = f(l2 + f(rows[b + 2]! * q[a + 2]!));
        l3 = f(l3 + f(rows[b + 3]! * q[a + 3]!));
      }
      out[k * n + i] = f(f(l0 + l1) + f(l2 + l3));
    }
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
