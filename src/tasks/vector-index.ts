/**
 * A corpus of embeddings held for fast top-k search: the rows (unit length for cosine) live in WebAssembly
 * memory in block layout (four rows per f32x4, dimension-major), read by a register-tiled SIMD kernel that scores
 * four queries × eight rows per pass and lets only scores above each query's current k-th best out; optional
 * binary codes (the sign bits, as `ubinary`) give a fast approximate path — Hamming distance with 64-bit
 * popcounts, then the best `rescore × topK` candidates rescored with the float vectors. `threads` > 1 splits the
 * corpus over worker threads (identical results). Without WebAssembly SIMD the same runs as plain loops (the
 * reference kernels; identical results).
 */
import { StaticEmbedError } from '../errors.js';
import { Arena, wasmUsable } from '../kernels/arena.js';
import { normalized } from '../math/similarity.js';
import { blockFloats, toBlocks } from '../kernels/scan.js';
import { Matrix } from '../math/matrix.js';
import { RowHeaps } from '../math/row-heaps.js';
import { TopK } from '../math/topk.js';
import { kernelThreads, newControl } from './kernel-threads.js';
import { indexThread, scratchBytes, type IndexData, type IndexJob } from './index-scan.js';
import { positiveInt, type SearchHit } from './search.js';

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
  /** threads splitting the corpus (default 1; Node: worker threads; results identical to one thread) */
  threads?: number;
}

export class VectorIndex {
  readonly rows: number;
  readonly dim: number;
  private readonly words: number;
  private readonly arena: Arena;
  /** the rows in block layout (see kernels/scan.ts) */
  private readonly blocks: Float32Array;
  private readonly data: IndexData;
  private readonly codes: BigUint64Array | undefined;
  /** int8 codes: width padded to 16, per-dimension scales */
  private readonly i8: { codes: Int8Array; width: number; scales: Float64Array } | undefined;
  private scratch: { ptr: number; bytes: number } | undefined;

  private constructor(
    corpus: Matrix,
    readonly options: VectorIndexOptions,
  ) {
    const n = corpus.rows,
      d = corpus.cols;
    this.rows = n;
    this.dim = d;
    this.words = Math.ceil(d / 64);
    const binary = options.binary !== false;
    const w16 = Math.ceil(d / 16) * 16;
    const useWasm = options.kernel !== 'js' && wasmUsable();
    this.arena = Arena.create(
      blockFloats(n, d) * 4 + (binary ? n * this.words * 8 : 0) + (options.int8 ? n * w16 : 0),
      useWasm,
    );
    const mem = this.arena.memory;
    const t = this.arena.f32(blockFloats(n, d));
    this.blocks = t.view;
    const cosine = (options.scoreFunction ?? 'cosine') === 'cosine';
    toBlocks(corpus.data, 0, n, d, this.blocks, cosine);
    let codesPtr = 0,
      i8Ptr = 0;
    if (binary) {
      if (mem) {
        codesPtr = this.arena.allocBytes(n * this.words * 8);
        this.codes = new BigUint64Array(mem.buffer, codesPtr, n * this.words);
      } else this.codes = new BigUint64Array(n * this.words);
      const row = new Float32Array(d);
      for (let i = 0; i < n; i++) this.putCode(this.codes, i * this.words, this.rowInto(i, row), 0);
    } else this.codes = undefined;
    if (options.int8) {
      if (mem) i8Ptr = this.arena.allocBytes(n * w16);
      this.i8 = this.buildInt8(mem ? new Int8Array(mem.buffer, i8Ptr, n * w16) : new Int8Array(n * w16), w16);
    } else this.i8 = undefined;
    this.data = {
      n,
      d,
      words: this.words,
      w16,
      memory: mem,
      blocks: t.ptr,
      codes: codesPtr,
      i8: i8Ptr,
      ...(mem ? {} : { js: { blocks: this.blocks, codes: this.codes, i8: this.i8?.codes } }),
    };
  }

  static build(corpus: Matrix, options: VectorIndexOptions = {}): VectorIndex {
    if (corpus.rows === 0) throw new StaticEmbedError('INVALID_ARGUMENT', 'Cannot build an index of zero embeddings.');
    return new VectorIndex(corpus, options);
  }

  get kernel(): 'wasm-simd' | 'js' {
    return this.arena.memory ? 'wasm-simd' : 'js';
  }

  /** Row i (normalized when cosine) read back from the block layout into `out`. */
  private rowInto(i: number, out: Float32Array): Float32Array {
    const d = this.dim,
      base = (i >> 2) * d * 4 + (i & 3);
    for (let j = 0; j < d; j++) out[j] = this.blocks[base + j * 4]!;
    return out;
  }

  /** Symmetric per-dimension int8 codes of the (normalized) rows: code = round(x / scale), scale = max|x| / 127. */
  private buildInt8(codes: Int8Array, w16: number): { codes: Int8Array; width: number; scales: Float64Array } {
    const n = this.rows,
      d = this.dim;
    const scales = new Float64Array(d),
      row = new Float32Array(d);
    for (let i = 0; i < n; i++) {
      this.rowInto(i, row);
      for (let j = 0; j < d; j++) scales[j] = Math.max(scales[j]!, Math.abs(row[j]!));
    }
    for (let j = 0; j < d; j++) scales[j] = scales[j]! > 0 ? scales[j]! / 127 : 1;
    for (let i = 0; i < n; i++) {
      this.rowInto(i, row);
      for (let j = 0; j < d; j++) codes[i * w16 + j] = Math.round(row[j]! / scales[j]!);
    }
    return { codes, width: w16, scales };
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
    const threads = positiveInt('threads', options.threads, 1);
    const cosine = (this.options.scoreFunction ?? 'cosine') === 'cosine';
    const nq = queries.rows,
      d = this.dim;
    const q = cosine ? normalized(queries).data : queries.data.slice(0, nq * d);
    if (mode === 'exact') {
      const heaps = this.run('exact', q, nq, topK, threads);
      return Array.from({ length: nq }, (_, i) => heaps.sorted(i).map((x) => ({ corpusId: x.id, score: x.score })));
    }
    const want = Math.min(positiveInt('rescore', options.rescore, 10) * topK, this.rows);
    if (mode === 'binary') {
      const codes = new BigUint64Array(nq * this.words);
      for (let i = 0; i < nq; i++) this.putCode(codes, i * this.words, q, i * d);
      const heaps = this.run('binary', codes, nq, want, threads);
      return Array.from({ length: nq }, (_, i) =>
        this.rescore(
          q,
          i,
          heaps.sorted(i).map((x) => -x.id),
          topK,
        ),
      );
    }
    const heaps = this.run('int8', this.int8Queries(q, nq), nq, want, threads);
    return Array.from({ length: nq }, (_, i) =>
      this.rescore(
        q,
        i,
        heaps.sorted(i).map((x) => x.id),
        topK,
      ),
    );
  }

  /** The int8 path's queries: scaled per dimension like the codes, quantized to int16 without int32 overflow. */
  private int8Queries(q: Float32Array, nq: number): Int16Array {
    const { width: w16, scales } = this.i8!,
      d = this.dim;
    const qmax = Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * w16)));
    const q16 = new Int16Array(nq * w16);
    for (let i = 0; i < nq; i++) {
      let m = 0;
      for (let j = 0; j < d; j++) m = Math.max(m, Math.abs(q[i * d + j]! * scales[j]!));
      const s = m > 0 ? qmax / m : 1;
      for (let j = 0; j < d; j++) q16[i * w16 + j] = Math.round(q[i * d + j]! * scales[j]! * s);
    }
    return q16;
  }

  /** One scan over the corpus on `threads` threads; the threads' heaps merged into one. */
  private run(
    mode: IndexJob['mode'],
    queries: Float32Array | BigUint64Array | Int16Array,
    nq: number,
    keep: number,
    threads: number,
  ): RowHeaps {
    const mem = this.arena.memory;
    const n = mem && kernelThreads() ? Math.max(1, Math.min(threads, Math.ceil(this.rows / 16384))) : 1;
    const per = scratchBytes(nq);
    let qPtr = 0;
    const scratch: number[] = [];
    if (mem) {
      const base = this.scratchFor(queries.byteLength + 64 + n * per);
      qPtr = base;
      new Uint8Array(mem.buffer, base, queries.byteLength).set(
        new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength),
      );
      const s0 = base + Math.ceil((queries.byteLength + 1) / 64) * 64;
      for (let t = 0; t < n; t++) scratch.push(s0 + t * per);
    }
    const bytes = RowHeaps.bytes(nq, keep);
    const job: IndexJob = {
      type: 'index',
      mode,
      data: this.data,
      nq,
      keep,
      queries: qPtr,
      control: newControl(),
      heaps: mem ? new SharedArrayBuffer(n * bytes) : new ArrayBuffer(bytes),
      scratch,
      ...(mem ? {} : { jsQueries: queries }),
    };
    if (n > 1) kernelThreads()!.run(job, n);
    else indexThread(job, 0);
    const merged = RowHeaps.over(job.heaps, 0, nq, keep);
    for (let t = 1; t < n; t++) {
      const other = RowHeaps.over(job.heaps, t * bytes, nq, keep);
      for (let i = 0; i < nq; i++) merged.mergeRow(i, other);
    }
    return merged;
  }

  /** Candidates rescored with the float vectors: the top k by the real score. */
  private rescore(q: Float32Array, i: number, ids: readonly number[], topK: number): SearchHit[] {
    const d = this.dim,
      b = this.blocks;
    const heap = new TopK(topK);
    for (const k of ids) {
      const base = (k >> 2) * d * 4 + (k & 3);
      let s = 0;
      for (let j = 0; j < d; j++) s += q[i * d + j]! * b[base + j * 4]!;
      heap.push(Math.fround(s), k);
    }
    return heap.sorted().map((h) => ({ corpusId: h.id, score: h.score }));
  }
}
