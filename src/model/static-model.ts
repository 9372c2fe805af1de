/**
 * StaticModel, in memory only: a tokenizer and an embedding table; texts → pooled rows.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { withDefaults } from '../defaults.js';
import { StaticEmbedError, describe } from '../errors.js';
import type { ProfileName, SimilarityFnName } from '../formats/layouts.js';
import { createPoolKernel, type PoolKernel } from '../kernels/pool.js';
import { widenTable, type TableDtype } from '../kernels/table-dtype.js';
import { Matrix } from '../math/matrix.js';
import { similarityMatrix, type SimilarityFn } from '../math/similarity.js';
import { IdBuffer } from '../tokenizer/id-buffer.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import { assembleCore, type LoadOptions, type ModelCore, type TableSource } from './core.js';
import type { ModelFiles } from './files.js';
import { coreFromTable, type ModelTable } from './from-table.js';
import type { HubOptions } from './hub-options.js';
import { coreFromFiles } from './load.js';
import { checkTruncateDim, normalizeRange } from './postprocess.js';
import { coreToShared, type ModelShared } from './shared.js';
import type { EncodeRange } from './worker-protocol.js';
import {
  checkEncodeTokensOptions,
  tokenVectors,
  type EncodeTokensOptions,
  type TokenVectors,
} from './token-vectors.js';

export type { LoadOptions } from './core.js';
export type { ModelFiles } from './files.js';
export type { ModelTable } from './from-table.js';
export type { EncodeTokensOptions, TokenVectors } from './token-vectors.js';

/** The defaults of EncodeOptions (`encodeAsync`'s `workers`: ENCODE_ASYNC_DEFAULTS). */
export const ENCODE_DEFAULTS = Object.freeze({ batchSize: 4096, workers: 1 });
export const ENCODE_ASYNC_DEFAULTS = Object.freeze({ ...ENCODE_DEFAULTS, workers: 0 });

export interface EncodeOptions {
  /** Texts tokenized and pooled per step (memory of the id buffer); default `ENCODE_DEFAULTS.batchSize`: 4096. */
  batchSize?: number;
  normalize?: boolean;
  truncateDim?: number;
  /**
   * Threads for large batches: `encode` uses the calling thread plus workers − 1 threads, `encodeAsync` uses
   * `workers` threads. Defaults: `ENCODE_DEFAULTS.workers`, `ENCODE_ASYNC_DEFAULTS.workers` (0: calling thread).
   */
  workers?: number;
  /**
   * Write the rows here (rows × dim floats at least) instead of a new buffer, e.g. to reuse one buffer across
   * batches; the returned matrix is a view of it. A SharedArrayBuffer-backed one is written by the worker
   * threads directly.
   */
  into?: Float32Array;
  /** Receives each text's number of token ids (those pooled), e.g. for usage accounting; length ≥ texts. */
  tokenCounts?: Int32Array;
}

/** Threads encoding one model's large batches (implemented in runtime/node/encode-workers.ts and runtime/web/encode-workers.ts). */
export interface EncodeWorkers {
  readonly size: number;
  prepare(forAsync: boolean): void;
  encodeSync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Matrix;
  encodeAsync(
    texts: readonly string[],
    outDim: number,
    normalize: boolean,
    into?: Float32Array,
    counts?: Int32Array,
  ): Promise<Matrix>;
  close(): Promise<void>;
}

/**
 * What a runtime gives models: a reader for `fromPretrained` and threads for `encode({ workers })`. None in the
 * portable entry; the Node and browser entries set theirs. See ARCHITECTURE.md, "Runtime wiring".
 */
export interface ModelRuntime {
  /** Reads a model folder, Hub id or URL into a model core. */
  readonly loadPretrained?: (idOrPath: string, options: LoadOptions & HubOptions) => Promise<ModelCore>;
  /** Starts `workers` threads for one model's large batches. */
  readonly encodeWorkers?: (model: StaticModel, workers: number) => EncodeWorkers;
}

/** Batches worth spreading over threads: enough texts and characters to outweigh the hand-off. */
export function parallelWorthIt(texts: readonly string[]): boolean {
  if (texts.length < 256) return false;
  let chars = 0;
  for (let i = 0; i < texts.length && chars < 200_000; i++) chars += texts[i]!.length;
  return chars >= 200_000;
}

/** The `tokenCounts` option, checked: an Int32Array with room for every text. */
function tokenCountsOf(options: EncodeOptions, n: number): Int32Array | undefined {
  const counts = options.tokenCounts;
  if (counts !== undefined && (!(counts instanceof Int32Array) || counts.length < n)) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `tokenCounts must be an Int32Array of at least ${n} values, got ${describe(counts)}.`,
    );
  }
  return counts;
}

export interface ModelInfo {
  layout: string;
  profile: ProfileName;
  vocabSize: number;
  tableRows: number;
  dim: number;
  sourceDim: number;
  dtype: string;
  normalize: boolean;
  dropUnk: boolean;
  maxLength: number | null;
  vocabularyQuantized: boolean;
  similarityFnName: SimilarityFnName;
  /** the dtype the table is kept in in memory (as stored: int8, float16, bfloat16; else float32) */
  tableDtype: TableDtype;
  /** bytes of the table in memory (with int8 row scales) */
  tableBytes: number;
  tokenizerFastPath: boolean;
  kernel: 'wasm-simd' | 'js';
}

/**
 * This package's own access to a model's internals (encoding threads, transforms); not part of the public API (the
 * entry points do not export it). Set by the class's static block, which can reach its private members.
 */
export interface ModelInternals {
  core(m: StaticModel): ModelCore;
  /** Encodes texts[start, end) into rows start… of `out`: the one code path of every thread. */
  encodeRange(m: StaticModel, ...args: Parameters<EncodeRange>): void;
  /** State for worker threads (see shared.ts). */
  toShared(m: StaticModel): ModelShared;
  /** The table as float32 (the float32 table itself, or a widened copy that the model does not keep). */
  floatTable(m: StaticModel): Float32Array;
  /** A model around a core (from safetensors, a table or a worker's shared state), of class `Model`. */
  create(core: ModelCore, Model?: typeof StaticModel): StaticModel;
}

export let modelInternals!: ModelInternals;

/**
 * A static embedding model in memory: texts → token ids → the mean of their table rows (then truncated, normalized).
 *
 * @example
 * ```ts
 * import { loadDefaultModel } from 'static-embed';
 *
 * const model = await loadDefaultModel(); // the embedded model: no download
 * const emb = model.encode(['The cat sleeps.', 'El gato duerme.', 'Stocks fell.'], { normalize: true });
 * console.log(emb.rows, emb.cols); // → 3 256
 * const sim = model.similarity(emb, emb);
 * console.log(sim.get(0, 1) > sim.get(0, 2)); // → true
 * await model.close();
 * ```
 */
export class StaticModel {
  /** The runtime of this class's models: none (the portable entry); see ModelRuntime. */
  static readonly runtime: ModelRuntime = {};

  readonly tableRows: number;
  readonly dim: number;
  readonly normalize: boolean;
  readonly profile: ProfileName;
  readonly maxLength: number | null;
  readonly similarityFnName: SimilarityFnName;
  readonly tokenizer: Tokenizer;
  private core: ModelCore;
  private kernel: PoolKernel;
  private readonly unkId: number | undefined;
  private medianTokenLength: number | undefined;

  static {
    modelInternals = {
      core: (m) => m.wholeCore(),
      encodeRange: (m, texts, start, end, out, outDim, normalize, counts) =>
        m.encodeRange(texts, start, end, out, outDim, normalize, ENCODE_DEFAULTS.batchSize, counts),
      toShared: (m) => coreToShared(m.core, m.profile === 'model2vec' ? m.medianLength() : undefined),
      floatTable: (m) => {
        const c = m.wholeCore();
        return c.dtype === 'float32' ? (c.table as Float32Array) : widenTable(c.table, c.dtype, c.dim, c.scales);
      },
      create: (core, Model = StaticModel) => new Model(core),
    };
  }

  protected constructor(core: ModelCore) {
    const options = core.options;
    this.core = core;
    this.tokenizer = core.tokenizer;
    this.tableRows = core.tableRows;
    this.dim = core.dim;
    this.profile = options.profile ?? core.resolved.profile;
    this.normalize = options.normalize ?? core.resolved.normalize;
    this.maxLength =
      this.profile === 'model2vec'
        ? options.maxLength === undefined
          ? 512
          : options.maxLength
        : (options.maxLength ?? null);
    this.similarityFnName = core.resolved.similarityFnName;
    // model2vec drops the unknown token of models that have an unk_token (not Unigram, as in Python)
    this.unkId =
      this.profile === 'model2vec' && core.tokenizer.modelKind !== 'Unigram' ? core.tokenizer.unkId : undefined;
    this.medianTokenLength = core.medianTokenLength;
    this.kernel = createPoolKernel(core, core.arena, options.kernel ?? 'auto');
  }

  /**
   * The table as float32, tableRows × dim, row-major. A table kept in its stored dtype (int8, float16, bfloat16:
   * see `info().tableDtype`) is widened on first access, and the model pools from the widened table from then on
   * (same results; writes to it take effect, e.g. training), at four bytes per value.
   */
  get table(): Float32Array {
    const c = this.wholeCore();
    if (c.dtype === 'float32') return c.table as Float32Array;
    const wide = widenTable(c.table, c.dtype, c.dim, c.scales);
    const src: TableSource = {
      rows: c.tableRows,
      sourceDim: c.dim,
      dtype: c.sourceDtype,
      keep: 'float32',
      fill: (dest) => dest.set(wide),
      mapping: c.mapping,
      weights: c.weights,
    };
    const { truncateDim: _kept, ...options } = c.options;
    void _kept;
    const core = assembleCore(c.tokenizerJson, c.tokenizer, src, c.resolved, options);
    this.core = { ...core, sourceDim: c.sourceDim, options: c.options };
    this.kernel = createPoolKernel(this.core, this.core.arena, c.options.kernel ?? 'auto');
    // worker threads still read the stored table: the next parallel batch starts new ones
    void this.close();
    return this.core.table as Float32Array;
  }

  /** Vocabulary quantization: the table row of each token id. */
  get mapping(): Uint32Array | undefined {
    return this.core.mapping;
  }

  /** Vocabulary quantization: each token's weight. */
  get weights(): Float32Array | undefined {
    return this.core.weights;
  }

  /** Builds a model from the files of its folder (paths relative to the folder). No filesystem access. */
  static fromBytes(files: ModelFiles, options: LoadOptions = {}, where = 'the given files'): StaticModel {
    return new this(coreFromFiles(files, options, where));
  }

  /**
   * Builds a model from parts in memory: a tokenizer.json and a float32 table (rows × dim), optionally a
   * vocabulary-quantization mapping and per-token weights — e.g. a table you trained or transformed.
   */
  static fromTable(parts: ModelTable, options: LoadOptions = {}): StaticModel {
    return new this(coreFromTable(parts, options));
  }

  /**
   * Reads a model folder or Hub id with the loader of the class's runtime (Node: filesystem and Hub cache;
   * browsers: fetch); without one (the portable entry), use StaticModel.fromBytes.
   */
  static async fromPretrained(idOrPath: string, options: LoadOptions & HubOptions = {}): Promise<StaticModel> {
    const load = this.runtime.loadPretrained;
    if (!load) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'fromPretrained has no loader in this runtime: import "static-embed" from Node or a browser, or build the model with StaticModel.fromBytes.',
      );
    }
    return new this(await load(idOrPath, options));
  }

  /**
   * Embeddings of texts: one row per text, in a contiguous Float32Array-backed matrix. With `workers` > 1
   * (Node), large batches are spread over worker threads sharing the table; results are identical bit for bit.
   */
  encode(texts: readonly string[] | string, options: EncodeOptions = {}): Matrix {
    const list = this.checkTexts(texts, options);
    const { outDim, normalize } = this.outputShape(options);
    const { workers, batchSize } = withDefaults(ENCODE_DEFAULTS, options);
    const into = options.into;
    if (into !== undefined && (!(into instanceof Float32Array) || into.length < list.length * outDim)) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `into must be a Float32Array of at least ${list.length} × ${outDim} values, got ` +
          `${describe(into)}${into instanceof Float32Array ? ` of ${into.length}` : ''}.`,
      );
    }
    const counts = tokenCountsOf(options, list.length);
    if (workers > 1 && this.runtime.encodeWorkers && parallelWorthIt(list))
      return this.parallel(workers).encodeSync(list, outDim, normalize, into, counts);
    const out = new Matrix(list.length, outDim, into ? into.subarray(0, list.length * outDim) : undefined);
    this.encodeRange(list, 0, list.length, out.data, outDim, normalize, batchSize, counts);
    return out;
  }

  /**
   * Per-token vectors (model2vec's `encode_as_sequence`): each text's token ids, their places in the text and their
   * table rows after the model's own weighting, before pooling. The layout's rules apply as in `encode`, so on
   * sentence-transformers layouts the mean is `encode` unnormalized.
   */
  encodeTokens(texts: readonly string[] | string, options: EncodeTokensOptions = {}): TokenVectors[] {
    const list = this.checkTexts(texts, {});
    checkEncodeTokensOptions(options);
    const { outDim } = this.outputShape({
      ...(options.truncateDim !== undefined && { truncateDim: options.truncateDim }),
    });
    const maxLength =
      options.maxLength !== undefined ? options.maxLength : this.profile === 'model2vec' ? null : this.maxLength;
    const src = {
      tokenizer: this.tokenizer,
      // the table as kept (stored dtype): reading rows does not widen the whole table
      table: this.wholeCore().table,
      dtype: this.core.dtype,
      scales: this.core.scales,
      dim: this.dim,
      mapping: this.mapping,
      weights: this.weights,
      dropId: this.unkId,
      cutText: (text: string, n: number) => {
        const cut = n * this.medianLength();
        return text.length > cut ? sliceCodePoints(text, cut) : text;
      },
    };
    return list.map((t) => tokenVectors(src, t, outDim, maxLength, options.offsets ?? 'code-points'));
  }

  /** Starts `workers` worker threads ahead of the first large batch (they take a moment to load). */
  prepareWorkers(workers: number, forAsync = false): void {
    if (this.runtime.encodeWorkers && workers > (forAsync ? 0 : 1)) this.parallel(workers).prepare(forAsync);
  }

  /** Like encode, without blocking the calling thread: with `workers` ≥ 1 the work runs on worker threads. */
  async encodeAsync(texts: readonly string[] | string, options: EncodeOptions = {}): Promise<Matrix> {
    const list = this.checkTexts(texts, options);
    const { outDim, normalize } = this.outputShape(options);
    const { workers } = withDefaults(ENCODE_ASYNC_DEFAULTS, options);
    if (workers >= 1 && list.length > 0 && this.runtime.encodeWorkers) {
      return this.parallel(workers).encodeAsync(
        list,
        outDim,
        normalize,
        options.into,
        tokenCountsOf(options, list.length),
      );
    }
    return this.encode(list, { ...options, workers: 1 });
  }

  /** Stops the worker threads of this model, if any were started. */
  async close(): Promise<void> {
    const p = this.workers;
    this.workers = undefined;
    await p?.close();
  }

  private workers: EncodeWorkers | undefined;

  /** The runtime of the model's class (see ModelRuntime). */
  private get runtime(): ModelRuntime {
    return (this.constructor as typeof StaticModel).runtime;
  }

  private parallel(workers: number): EncodeWorkers {
    const start = this.runtime.encodeWorkers;
    if (!this.workers || this.workers.size !== workers) {
      void this.workers?.close();
      if (!start)
        throw new StaticEmbedError(
          'INVALID_ARGUMENT',
          'Worker threads are not available here: import "static-embed" in Node, or use workers: 1.',
        );
      this.workers = start(this, workers);
    }
    return this.workers;
  }

  private checkTexts(texts: readonly string[] | string, options: EncodeOptions): readonly string[] {
    const list = typeof texts === 'string' ? [texts] : texts;
    if (!Array.isArray(list))
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `encode expects a string or an array of strings, got ${describe(texts)}.`,
      );
    const { batchSize } = withDefaults(ENCODE_DEFAULTS, options);
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `batchSize must be a positive integer, got ${describe(options.batchSize)}.`,
      );
    const w = options.workers;
    if (w !== undefined && (!Number.isInteger(w) || w < 0 || w > 256))
      throw new StaticEmbedError('INVALID_ARGUMENT', `workers must be an integer from 0 to 256, got ${describe(w)}.`);
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string')
        throw new StaticEmbedError('INVALID_INPUT', `Text ${i} is ${describe(list[i])}; every input must be a string.`);
    }
    return list;
  }

  private outputShape(options: EncodeOptions): { outDim: number; normalize: boolean } {
    const t = options.truncateDim;
    checkTruncateDim(t);
    return {
      outDim: t === undefined ? this.dim : Math.min(t, this.dim),
      normalize: options.normalize ?? this.normalize,
    };
  }

  /**
   * Encodes texts[start, end) into rows start… of `out` (outDim columns): tokenize → pool → truncate →
   * normalize, batch by batch. The one code path of every thread, so results never depend on threading.
   */
  private encodeRange(
    texts: readonly string[],
    start: number,
    end: number,
    out: Float32Array,
    outDim: number,
    normalize: boolean,
    batchSize: number,
    counts?: Int32Array,
  ): void {
    const d = this.dim;
    const ids = this.scratchIds;
    const rows = Math.min(batchSize, end - start);
    if (this.scratchOffsets.length < rows + 1) this.scratchOffsets = new Uint32Array(rows + 1);
    const offsets = this.scratchOffsets;
    const tmp = outDim === d ? undefined : new Float32Array(rows * d);
    for (let s = start; s < end; s += batchSize) {
      const e = Math.min(end, s + batchSize);
      this.tokenizeInto(texts, s, e, ids, offsets);
      this.core.rows?.ensure(ids.data, ids.length);
      if (counts) for (let i = s; i < e; i++) counts[i] = offsets[i - s + 1]! - offsets[i - s]!;
      if (tmp) {
        this.kernel.pool(ids.data, offsets, e - s, tmp, 0);
        for (let i = 0; i < e - s; i++) out.set(tmp.subarray(i * d, i * d + outDim), (s + i) * outDim);
      } else this.kernel.pool(ids.data, offsets, e - s, out, s * d);
      if (normalize) normalizeRange(out, s, e, outDim);
    }
  }

  /** The core with every table row read (a table read on first use is read whole). */
  private wholeCore(): ModelCore {
    this.core.rows?.ensureAll();
    return this.core;
  }

  private readonly scratchIds = new IdBuffer(1 << 16);
  private scratchOffsets = new Uint32Array(1);

  /** Token ids of texts[start, end) into `ids`, with offsets[0..n]; applies the profile's id rules. */
  private tokenizeInto(
    texts: readonly string[],
    start: number,
    end: number,
    ids: IdBuffer,
    offsets: Uint32Array,
  ): void {
    ids.length = 0;
    offsets[0] = 0;
    const maxLen = this.maxLength;
    const cut = maxLen !== null ? maxLen * this.medianLength() : 0;
    const unk = this.unkId;
    for (let i = start; i < end; i++) {
      const mark = ids.length;
      let text = texts[i]!;
      if (maxLen !== null && text.length > cut) text = sliceCodePoints(text, cut);
      this.tokenizer.encodeInto(text, ids);
      if (unk !== undefined) {
        const d = ids.data;
        let w = mark;
        for (let r = mark; r < ids.length; r++) if (d[r] !== unk) d[w++] = d[r]!;
        ids.length = w;
      }
      if (maxLen !== null && ids.length - mark > maxLen) ids.length = mark + maxLen;
      offsets[i - start + 1] = ids.length;
    }
  }

  /** model2vec's median token length (code points), used to pre-cut long texts. */
  private medianLength(): number {
    this.medianTokenLength ??= this.tokenizer.medianTokenLength();
    return this.medianTokenLength;
  }

  /** Similarity matrix of two sets of embeddings, with the model's similarity function unless given. */
  similarity(left: Matrix, right: Matrix, fn: SimilarityFn = this.similarityFnName): Matrix {
    return similarityMatrix(left, right, fn);
  }

  info(): ModelInfo {
    return {
      layout: this.core.resolved.layout,
      profile: this.profile,
      vocabSize: this.tokenizer.vocabSize,
      tableRows: this.tableRows,
      dim: this.dim,
      sourceDim: this.core.sourceDim,
      dtype: this.core.sourceDtype,
      normalize: this.normalize,
      dropUnk: this.unkId !== undefined,
      maxLength: this.maxLength,
      vocabularyQuantized: this.mapping !== undefined,
      similarityFnName: this.similarityFnName,
      tableDtype: this.core.dtype,
      tableBytes: this.core.table.byteLength + (this.core.scales?.byteLength ?? 0),
      tokenizerFastPath: this.tokenizer.usesFastPath,
      kernel: this.kernel.kind,
    };
  }
}

/** The first n code points of s. */
export function sliceCodePoints(s: string, n: number): string {
  let i = 0,
    k = 0;
  while (i < s.length && k < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    k++;
  }
  return s.slice(0, i);
}
