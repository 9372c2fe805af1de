/**
 * A corpus of embeddings held for fast top-k search (float32, int8, binary).
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { StaticEmbedError } from '../errors.js';
import { Arena, wasmUsable } from '../kernels/arena.js';
import { normalized } from '../math/similarity.js';
import { blockFloats, toBlocks } from '../kernels/scan.js';
import { Matrix } from '../math/matrix.js';
import { RowHeaps } from '../math/row-heaps.js';
import { TopK } from '../math/topk.js';
import { blockingThreads, newControl, type KernelRuntime } from './kernel-threads.js';
import { PIECE, indexThread, scratchBytes, type IndexData, type IndexJob } from './index-scan.js';
import { positiveInt, type SearchHit } from './search.js';

export interface VectorIndexOptions<M = unknown> {
  /** what each row stands for (e.g. a chunk's document and offsets): one per row, returned with its hits */
  metadata?: readonly M[];
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
  /**
   * threads splitting the corpus (default 1; results identical to one thread): Node worker threads (`search` and
   * `searchAsync`), Web Workers on a cross-origin isolated page (`searchAsync` only)
   */
  threads?: number;
}

/** A search's queries in the form of its mode, and what to keep. */
interface Plan {
  mode: IndexJob['mode'];
  /** the float queries (normalized for cosine) */
  q: Float32Array;
  nq: number;
  topK: number;
  /** entries kept per query by the scan: top-k (exact) or candidates (binary, int8) */
  keep: number;
  /** what the scan reads: f32 rows (exact), u64 sign codes (binary), i16 rows (int8) */
  scan: Float32Array | BigUint64Array | Int16Array;
  threads: number;
}

/** A hit of an index built with metadata: the row's metadata comes with it. */
export type IndexHit<M> = SearchHit & { metadata?: M };

/**
 * A corpus of embeddings held for fast top-k search: exact float32, int8, or binary codes with float rescoring.
 *
 * @example
 * ```ts
 * import { loadDefaultModel, VectorIndex } from 'static-embed';
 *
 * const model = await loadDefaultModel();
 * const corpus = ['The cat sleeps on the sofa.', 'Stocks fell on Monday.', 'Rain is expected tomorrow.'];
 * const index = VectorIndex.build(model.encode(corpus), { int8: true });
 * const [hits] = index.search(model.encode(['Where is the cat?']), { topK: 1 });
 * console.log(corpus[hits![0]!.corpusId]); // → The cat sleeps on the sofa.
 * await model.close();
 * ```
 */
export class VectorIndex<M = unknown> {
  /** The runtime whose threads search (`threads` > 1): none here; the Node and browser entries export subclasses with theirs. */
  static readonly runtime: KernelRuntime = {};

  readonly rows: number;
  /** the metadata given at build, one per row */
  readonly metadata: readonly M[] | undefined;
  readonly dim: number;
  private readonly words: number;
  private readonly arena: Arena;
  /** the rows in block layout (see kernels/scan.ts) */
  private readonly blocks: Float32Array;
  private readonly data: IndexData;
  private readonly codes: BigUint64Array | undefined;
  /** int8 codes: width padded to 16, per-dimension scales */
  private readonly i8: { codes: Int8Array; width: number; scales: Float64Array } | undefined;
  /** scratch blocks in WebAssembly memory not in use by a search */
  private readonly freeScratch: { ptr: number; bytes: number }[] = [];

  protected constructor(
    corpus: Matrix,
    readonly options: VectorIndexOptions<M>,
  ) {
    const n = corpus.rows,
      d = corpus.cols;
    this.rows = n;
    this.metadata = options.metadata;
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

  static build<M = unknown>(corpus: Matrix, options: VectorIndexOptions<M> = {}): VectorIndex<M> {
    if (corpus.rows === 0) throw new StaticEmbedError('INVALID_ARGUMENT', 'Cannot build an index of zero embeddings.');
    const m = options.metadata;
    if (m !== undefined && (!Array.isArray(m) || m.length !== corpus.rows))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `metadata must be an array of one entry per row (${corpus.rows}), got ${Array.isArray(m) ? `${m.length} entries` : typeof m}.`,
      );
    return new this<M>(corpus, options);
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

  /** A scratch block of at least `bytes` (reused; a search running while another awaits its workers gets its own). */
  private takeScratch(bytes: number): { ptr: number; bytes: number } {
    const i = this.freeScratch.findIndex((s) => s.bytes >= bytes);
    if (i >= 0) return this.freeScratch.splice(i, 1)[0]!;
    return { ptr: this.arena.allocBytes(bytes), bytes };
  }

  /**
   * Top-k search on the calling thread, or on `threads` threads where the runtime can block the calling thread
   * while workers run (Node worker threads); elsewhere (a browser page) use `searchAsync`.
   */
  search(queries: Matrix, options: IndexSearchOptions = {}): IndexHit<M>[][] {
    const plan = this.plan(queries, options);
    const runner = blockingThreads(this.runtime);
    const { job, threads, release } = this.job(plan, runner !== undefined);
    try {
      if (threads > 1) runner!.run(job, threads);
      else indexThread(job, 0);
    } finally {
      release();
    }
    return this.answer(plan, job, threads);
  }

  /**
   * The same search (identical results), awaiting the threads instead of blocking: on a cross-origin isolated
   * page the corpus is split over `threads` Web Workers (the page's thread takes one share); in Node over worker
   * threads, leaving the event loop free while they finish.
   */
  async searchAsync(queries: Matrix, options: IndexSearchOptions = {}): Promise<IndexHit<M>[][]> {
    const plan = this.plan(queries, options);
    const runner = this.runtime.kernelThreads;
    const { job, threads, release } = this.job(plan, runner !== undefined);
    try {
      if (threads > 1) await runner!.runAsync(job, threads);
      else indexThread(job, 0);
    } finally {
      release();
    }
    return this.answer(plan, job, threads);
  }

  /** The runtime of the index's class. */
  private get runtime(): KernelRuntime {
    return (this.constructor as typeof VectorIndex).runtime;
  }

  /** Checks the options and puts the queries in the mode's form. */
  private plan(queries: Matrix, options: IndexSearchOptions): Plan {
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
    if (mode === 'exact') return { mode, q, nq, topK, keep: topK, scan: q, threads };
    const keep = Math.min(positiveInt('rescore', options.rescore, 10) * topK, this.rows);
    if (mode === 'int8') return { mode, q, nq, topK, keep, scan: this.int8Queries(q, nq), threads };
    const codes = new BigUint64Array(nq * this.words);
    for (let i = 0; i < nq; i++) this.putCode(codes, i * this.words, q, i * d);
    return { mode, q, nq, topK, keep, scan: codes, threads };
  }

  /** The job of one scan over the corpus: the queries copied into WebAssembly memory, per-thread scratch and heaps. */
  private job(plan: Plan, threaded: boolean): { job: IndexJob; threads: number; release: () => void } {
    const { scan: queries, nq, keep } = plan;
    const mem = this.arena.memory;
    const n = mem && threaded ? Math.max(1, Math.min(plan.threads, Math.ceil(this.rows / PIECE))) : 1;
    const per = scratchBytes(nq);
    let qPtr = 0;
    const scratch: number[] = [];
    let release = (): void => {};
    if (mem) {
      const block = this.takeScratch(queries.byteLength + 64 + n * per);
      release = () => void this.freeScratch.push(block);
      qPtr = block.ptr;
      new Uint8Array(mem.buffer, qPtr, queries.byteLength).set(
        new Uint8Array(queries.buffer, queries.byteOffset, queries.byteLength),
      );
      const s0 = qPtr + Math.ceil((queries.byteLength + 1) / 64) * 64;
      for (let t = 0; t < n; t++) scratch.push(s0 + t * per);
    }
    const bytes = RowHeaps.bytes(nq, keep);
    const job: IndexJob = {
      type: 'index',
      mode: plan.mode,
      data: this.data,
      nq,
      keep,
      queries: qPtr,
      control: newControl(),
      heaps: mem ? new SharedArrayBuffer(n * bytes) : new ArrayBuffer(bytes),
      scratch,
      ...(mem ? {} : { jsQueries: queries }),
    };
    return { job, threads: n, release };
  }

  /** The threads' heaps merged; candidates (binary, int8) rescored with the float vectors. */
  private answer(plan: Plan, job: IndexJob, threads: number): IndexHit<M>[][] {
    const hits = this.scored(plan, job, threads);
    const m = this.metadata;
    return m ? hits.map((row) => row.map((h) => ({ ...h, metadata: m[h.corpusId]! }))) : hits;
  }

  private scored(plan: Plan, job: IndexJob, threads: number): SearchHit[][] {
    const { q, nq, topK } = plan;
    const heaps = RowHeaps.mergeThreads(job.heaps, threads, nq, plan.keep);
    if (plan.mode === 'exact')
      return Array.from({ length: nq }, (_, i) => heaps.sorted(i).map((x) => ({ corpusId: x.id, score: x.score })));
    // binary heaps hold (−distance, −id)
    const sign = plan.mode === 'binary' ? -1 : 1;
    return Array.from({ length: nq }, (_, i) =>
      this.rescore(
        q,
        i,
        heaps.sorted(i).map((x) => sign * x.id),
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
