/**
 * StaticModel, in memory only: a tokenizer and an embedding table; a batch of texts becomes one flat id
 * buffer, pooled into rows of one preallocated Float32Array (mean of the token rows, accumulated in float32),
 * then truncated and normalized. Building one from bytes never touches the filesystem (see runtime/node/fs.ts for that).
 */
import { StaticEmbedError, describe } from '../errors.js';
import {
  resolveLayout,
  type FileSource,
  type ProfileName,
  type ResolvedLayout,
  type SimilarityFnName,
} from '../formats/layouts.js';
import { readSafetensors, tableInto, tensorToNumbers, type ByteSource } from '../formats/safetensors.js';
import { Arena } from '../kernels/arena.js';
import { isShared, shareableBuffer } from '../kernels/shareable.js';
import type { HubOptions } from './hub-options.js';
import { createPoolKernel, type PoolKernel } from '../kernels/pool.js';
import { Matrix } from '../math/matrix.js';
import { similarityMatrix, type SimilarityFn } from '../math/similarity.js';
import { normalizeRange } from './postprocess.js';
import { IdBuffer } from '../tokenizer/id-buffer.js';
import { Tokenizer, type TokenizerShared } from '../tokenizer/tokenizer.js';

export interface LoadOptions {
  /** Keep only the first N dimensions of the table (Matryoshka): the rest is never held in memory. */
  truncateDim?: number;
  /** Normalize embeddings (default: the model's Normalize module or config). */
  normalize?: boolean;
  /** Encoding rules (default: chosen by the folder layout). */
  profile?: ProfileName;
  /** model2vec profile: maximum tokens per text (default 512; null = no limit). */
  maxLength?: number | null;
  /** Pooling kernel: "auto" (WebAssembly SIMD where available) or "js" (the plain reference loop). */
  kernel?: 'auto' | 'js';
}

export interface EncodeOptions {
  /** Texts tokenized and pooled per step (memory of the id buffer); default 4096. */
  batchSize?: number;
  normalize?: boolean;
  truncateDim?: number;
  /**
   * Threads for large batches (Node): `encode` uses the calling thread plus workers − 1 worker threads;
   * `encodeAsync` uses `workers` worker threads and leaves the calling thread free. Default: 1 (encode),
   * 0 = on the calling thread (encodeAsync). Small batches always stay on the calling thread.
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

/** The worker pool interface the model uses (implemented in runtime/node/worker-pool.ts and runtime/web/web-pool.ts). */
export interface WorkerPoolLike {
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

let poolFactory: ((model: StaticModel, workers: number) => WorkerPoolLike) | undefined;

/** Registers the worker-pool implementation (done by the Node entry point). */
export function setWorkerPoolFactory(f: (model: StaticModel, workers: number) => WorkerPoolLike): void {
  poolFactory = f;
}

/** Reads a model folder or Hub id into a model: one per runtime (Node: filesystem and Hub cache). */
export type PretrainedLoader = (idOrPath: string, options: LoadOptions & HubOptions) => Promise<StaticModel>;

let pretrainedLoader: PretrainedLoader | undefined;

/** Registers the runtime's loader for StaticModel.fromPretrained (done by the runtime's entry point). */
export function setPretrainedLoader(f: PretrainedLoader): void {
  pretrainedLoader = f;
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
  tableBytes: number;
  tokenizerFastPath: boolean;
  kernel: 'wasm-simd' | 'js';
}

/** What a worker thread receives to rebuild a model without copying its table. */
export interface ModelShared {
  tokenizer: TokenizerShared;
  memory: WebAssembly.Memory | null;
  table: Float32Array | undefined;
  weights: Float32Array | undefined;
  mapping: Uint32Array | undefined;
  tablePtr: number;
  weightsPtr: number;
  mappingPtr: number;
  hasWeights: boolean;
  hasMapping: boolean;
  tableRows: number;
  dim: number;
  sourceDim: number;
  sourceDtype: string;
  resolved: ResolvedLayout;
  options: LoadOptions;
  medianTokenLength: number | undefined;
}

/** Everything a model is made of; shareable with worker threads (the arena's memory is shared). */
export interface ModelCore {
  tokenizerJson: Uint8Array;
  tokenizer: Tokenizer;
  arena: Arena;
  table: Float32Array;
  tablePtr: number;
  tableRows: number;
  dim: number;
  sourceDim: number;
  sourceDtype: string;
  weights: Float32Array | undefined;
  weightsPtr: number;
  mapping: Uint32Array | undefined;
  mappingPtr: number;
  resolved: ResolvedLayout;
  options: LoadOptions;
  /** model2vec's median token length, when already known */
  medianTokenLength?: number;
}

/** Files of a model, by path relative to the model folder. */
export type ModelFiles = Map<string, Uint8Array> | Record<string, Uint8Array>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class BytesSource implements FileSource {
  private readonly files: Map<string, Uint8Array>;
  constructor(files: ModelFiles) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }
  has(path: string): boolean {
    return this.files.has(path);
  }
  bytes(path: string): Uint8Array {
    const b = this.files.get(path);
    if (!b) throw new StaticEmbedError('NOT_FOUND', `Model file ${path} is missing.`);
    return b;
  }
  readJson(path: string): unknown {
    return parseJsonFile(this.bytes(path), path);
  }
}

export function parseJsonFile(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (cause) {
    throw new StaticEmbedError('INVALID_MODEL', `${path} is not valid UTF-8 JSON: ${(cause as Error).message}.`, {
      cause,
    });
  }
}

export class StaticModel {
  /** float32 table, tableRows × dim, row-major */
  readonly table: Float32Array;
  readonly tableRows: number;
  readonly dim: number;
  /** vocabulary quantization: table row of each token id, and each token's weight */
  readonly mapping: Uint32Array | undefined;
  readonly weights: Float32Array | undefined;
  readonly normalize: boolean;
  readonly profile: ProfileName;
  readonly maxLength: number | null;
  readonly similarityFnName: SimilarityFnName;
  readonly tokenizer: Tokenizer;
  readonly resolved: ResolvedLayout;
  readonly kernel: PoolKernel;
  private readonly unkId: number | undefined;
  private medianTokenLength: number | undefined;

  constructor(readonly core: ModelCore) {
    const options = core.options;
    this.tokenizer = core.tokenizer;
    this.resolved = core.resolved;
    this.table = core.table;
    this.tableRows = core.tableRows;
    this.dim = core.dim;
    this.mapping = core.mapping;
    this.weights = core.weights;
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

  /** Builds a model from the files of its folder (paths relative to the folder). No filesystem access. */
  static fromBytes(files: ModelFiles, options: LoadOptions = {}, where = 'the given files'): StaticModel {
    const src = new BytesSource(files);
    const resolved = resolveLayout(src, where);
    return StaticModel.fromParts(src.bytes(resolved.tokenizer), src.bytes(resolved.weights), resolved, options);
  }

  /** Builds a model from a tokenizer.json and a safetensors file (bytes or a byte source) with a resolved layout. */
  static fromParts(
    tokenizerJson: Uint8Array,
    weightsFile: Uint8Array | ByteSource,
    resolved: ResolvedLayout,
    options: LoadOptions = {},
  ): StaticModel {
    checkOptions(options);
    const tokenizer = Tokenizer.fromJSON(tokenizerJson);
    const st = readSafetensors(weightsFile);
    const name = [...resolved.tensorNames, 'int8_table'].find((n) => st.tensors.has(n));
    if (!name) {
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `${resolved.weights} has no embedding tensor: looked for ${resolved.tensorNames.join(', ')}, found ${[...st.tensors.keys()].join(', ') || 'no tensors'}.`,
      );
    }
    const emb = st.tensors.get(name)!;
    if (emb.shape.length !== 2)
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `Tensor "${name}" has shape [${emb.shape.join(', ')}]; an embedding table is [rows, dim].`,
      );
    const [rows, sourceDim] = emb.shape as [number, number];
    if (rows === 0 || sourceDim === 0)
      throw new StaticEmbedError('INVALID_MODEL', `Tensor "${name}" is empty ([${rows}, ${sourceDim}]).`);
    const dim = options.truncateDim !== undefined ? Math.min(options.truncateDim, sourceDim) : sourceDim;
    const vocab = tokenizer.vocabSize;
    const mappingT = st.tensors.get('mapping');
    const weightsT = st.tensors.get('weights');
    const scalesT = st.tensors.get('scales');
    if (!mappingT && rows !== vocab) {
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `The embedding table has ${rows} rows but the tokenizer has ${vocab} tokens; expected one row per token (or a "mapping" tensor).`,
      );
    }
    const arena = Arena.create(
      4 * (rows * dim + (mappingT ? vocab : 0) + (weightsT ? vocab : 0)),
      options.kernel !== 'js',
    );
    let mapping: { ptr: number; view: Uint32Array } | undefined;
    if (mappingT) {
      const m = tensorToNumbers(mappingT);
      if (m.length !== vocab)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `"mapping" has ${m.length} entries but the tokenizer has ${vocab} tokens; they must match.`,
        );
      mapping = arena.u32(m.length);
      for (let i = 0; i < m.length; i++) {
        const r = m[i]!;
        if (!Number.isInteger(r) || r < 0 || r >= rows)
          throw new StaticEmbedError('INVALID_MODEL', `"mapping"[${i}] = ${r} is not a row of the ${rows}-row table.`);
        mapping.view[i] = r;
      }
    }
    let weights: { ptr: number; view: Float32Array } | undefined;
    if (weightsT) {
      const w = tensorToNumbers(weightsT);
      if (w.length !== vocab)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `"weights" has ${w.length} entries but the tokenizer has ${vocab} tokens; they must match.`,
        );
      weights = arena.f32(vocab);
      weights.view.set(w);
    }
    let scales: Float64Array | undefined;
    if (scalesT) {
      scales = tensorToNumbers(scalesT);
      if (scales.length !== rows)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `"scales" has ${scales.length} entries; expected one per table row (${rows}).`,
        );
    }
    const table = arena.f32(rows * dim);
    tableInto(emb, dim, table.view, scales);
    const data = table.view;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x - x !== 0)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `The embedding table holds a non-finite value (${x}) at row ${Math.floor(i / dim)}; the model is damaged.`,
        );
    }
    return new StaticModel({
      tokenizerJson,
      tokenizer,
      arena,
      table: data,
      tablePtr: table.ptr,
      tableRows: rows,
      dim,
      sourceDim,
      sourceDtype: emb.dtype + (scalesT ? '+scales' : ''),
      weights: weights?.view,
      weightsPtr: weights?.ptr ?? 0,
      mapping: mapping?.view,
      mappingPtr: mapping?.ptr ?? 0,
      resolved,
      options,
    });
  }

  /** State for worker threads: the arena's shared memory (or SharedArrayBuffer copies) and the tokenizer's. */
  toShared(): ModelShared {
    const c = this.core;
    const shareArray = <T extends Float32Array | Uint32Array>(
      a: T | undefined,
      make: (b: ArrayBuffer | SharedArrayBuffer, n: number) => T,
    ): T | undefined => {
      if (!a) return undefined;
      if (isShared(a)) return a;
      const s = make(shareableBuffer(a.byteLength), a.length);
      s.set(a as never);
      return s;
    };
    return {
      tokenizer: c.tokenizer.toShared(),
      memory: c.arena.memory,
      table: c.arena.memory ? undefined : shareArray(c.table, (b, n) => new Float32Array(b, 0, n)),
      weights: c.arena.memory ? undefined : shareArray(c.weights, (b, n) => new Float32Array(b, 0, n)),
      mapping: c.arena.memory ? undefined : shareArray(c.mapping, (b, n) => new Uint32Array(b, 0, n)),
      tablePtr: c.tablePtr,
      weightsPtr: c.weightsPtr,
      mappingPtr: c.mappingPtr,
      hasWeights: c.weights !== undefined,
      hasMapping: c.mapping !== undefined,
      tableRows: c.tableRows,
      dim: c.dim,
      sourceDim: c.sourceDim,
      sourceDtype: c.sourceDtype,
      resolved: c.resolved,
      options: c.options,
      medianTokenLength: this.profile === 'model2vec' ? this.medianLength() : undefined,
    };
  }

  /** The model rebuilt from `toShared()` in a worker thread (no copy of the table). */
  static fromShared(s: ModelShared): StaticModel {
    let arena: Arena, table: Float32Array, weights: Float32Array | undefined, mapping: Uint32Array | undefined;
    if (s.memory) {
      arena = Arena.attach(s.memory);
      const buf = s.memory.buffer;
      table = new Float32Array(buf, s.tablePtr, s.tableRows * s.dim);
      const vocab = s.tokenizer.vocabSize;
      weights = s.hasWeights ? new Float32Array(buf, s.weightsPtr, vocab) : undefined;
      mapping = s.hasMapping ? new Uint32Array(buf, s.mappingPtr, vocab) : undefined;
    } else {
      arena = Arena.create(0, false);
      table = s.table!;
      weights = s.weights;
      mapping = s.mapping;
    }
    const tokenizer = Tokenizer.fromShared(s.tokenizer);
    return new StaticModel({
      tokenizerJson: s.tokenizer.json,
      tokenizer,
      arena,
      table,
      tablePtr: s.tablePtr,
      tableRows: s.tableRows,
      dim: s.dim,
      sourceDim: s.sourceDim,
      sourceDtype: s.sourceDtype,
      weights,
      weightsPtr: s.weightsPtr,
      mapping,
      mappingPtr: s.mappingPtr,
      resolved: s.resolved,
      options: s.options,
      ...(s.medianTokenLength !== undefined ? { medianTokenLength: s.medianTokenLength } : {}),
    });
  }

  /**
   * Reads a model folder or Hub id with the loader of the runtime (Node: filesystem and Hub cache), which the
   * runtime's entry point registers; without one (the portable entry), use StaticModel.fromBytes.
   */
  static async fromPretrained(idOrPath: string, options: LoadOptions & HubOptions = {}): Promise<StaticModel> {
    if (!pretrainedLoader) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'fromPretrained has no loader in this runtime: import "static-embed" from Node or a browser, or build the model with StaticModel.fromBytes.',
      );
    }
    return pretrainedLoader(idOrPath, options);
  }

  /**
   * Embeddings of texts: one row per text, in a contiguous Float32Array-backed matrix. With `workers` > 1
   * (Node), large batches are spread over worker threads sharing the table; results are identical bit for bit.
   */
  encode(texts: readonly string[] | string, options: EncodeOptions = {}): Matrix {
    const list = this.checkTexts(texts, options);
    const { outDim, normalize } = this.outputShape(options);
    const workers = options.workers ?? 1;
    const into = options.into;
    if (into !== undefined && (!(into instanceof Float32Array) || into.length < list.length * outDim)) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `into must be a Float32Array of at least ${list.length} × ${outDim} values, got ${describe(into)}${into instanceof Float32Array ? ` of ${into.length}` : ''}.`,
      );
    }
    const counts = tokenCountsOf(options, list.length);
    if (workers > 1 && poolFactory && parallelWorthIt(list))
      return this.parallel(workers).encodeSync(list, outDim, normalize, into, counts);
    const out = new Matrix(list.length, outDim, into ? into.subarray(0, list.length * outDim) : undefined);
    this.encodeRange(list, 0, list.length, out.data, outDim, normalize, options.batchSize ?? 4096, counts);
    return out;
  }

  /** Starts `workers` worker threads ahead of the first large batch (they take a moment to load). */
  prepareWorkers(workers: number, forAsync = false): void {
    if (poolFactory && workers > (forAsync ? 0 : 1)) this.parallel(workers).prepare(forAsync);
  }

  /** Like encode, without blocking the calling thread: with `workers` ≥ 1 the work runs on worker threads. */
  async encodeAsync(texts: readonly string[] | string, options: EncodeOptions = {}): Promise<Matrix> {
    const list = this.checkTexts(texts, options);
    const { outDim, normalize } = this.outputShape(options);
    const workers = options.workers ?? 0;
    if (workers >= 1 && list.length > 0 && poolFactory) {
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
    const p = this.workerPool;
    this.workerPool = undefined;
    await p?.close();
  }

  private workerPool: WorkerPoolLike | undefined;

  private parallel(workers: number): WorkerPoolLike {
    if (!this.workerPool || this.workerPool.size !== workers) {
      void this.workerPool?.close();
      if (!poolFactory)
        throw new StaticEmbedError(
          'INVALID_ARGUMENT',
          'Worker threads are not available here: import "static-embed" in Node, or use workers: 1.',
        );
      this.workerPool = poolFactory(this, workers);
    }
    return this.workerPool;
  }

  private checkTexts(texts: readonly string[] | string, options: EncodeOptions): readonly string[] {
    const list = typeof texts === 'string' ? [texts] : texts;
    if (!Array.isArray(list))
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `encode expects a string or an array of strings, got ${describe(texts)}.`,
      );
    const batchSize = options.batchSize ?? 4096;
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
    if (t !== undefined && (!Number.isInteger(t) || t < 1))
      throw new StaticEmbedError('INVALID_ARGUMENT', `truncateDim must be a positive integer, got ${describe(t)}.`);
    return {
      outDim: t === undefined ? this.dim : Math.min(t, this.dim),
      normalize: options.normalize ?? this.normalize,
    };
  }

  /**
   * Encodes texts[start, end) into rows start… of `out` (outDim columns): tokenize → pool → truncate →
   * normalize, batch by batch. The one code path of every thread, so results never depend on threading.
   */
  encodeRange(
    texts: readonly string[],
    start: number,
    end: number,
    out: Float32Array,
    outDim: number,
    normalize: boolean,
    batchSize = 4096,
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
      if (counts) for (let i = s; i < e; i++) counts[i] = offsets[i - s + 1]! - offsets[i - s]!;
      if (tmp) {
        this.kernel.pool(ids.data, offsets, e - s, tmp, 0);
        for (let i = 0; i < e - s; i++) out.set(tmp.subarray(i * d, i * d + outDim), (s + i) * outDim);
      } else this.kernel.pool(ids.data, offsets, e - s, out, s * d);
      if (normalize) normalizeRange(out, s, e, outDim);
    }
  }

  private readonly scratchIds = new IdBuffer(1 << 16);
  private scratchOffsets = new Uint32Array(1);

  /** Token ids of texts[start, end) into `ids`, with offsets[0..n]; applies the profile's id rules. */
  tokenizeInto(texts: readonly string[], start: number, end: number, ids: IdBuffer, offsets: Uint32Array): void {
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

  /** Mean pooling of n id bags into out[at…] (see kernels/pool.ts); an empty bag stays a zero vector. */
  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    this.kernel.pool(ids, offsets, n, out, at);
  }

  /** model2vec's median token length (code points), used to pre-cut long texts. */
  medianLength(): number {
    this.medianTokenLength ??= this.tokenizer.medianTokenLength();
    return this.medianTokenLength;
  }

  /** Similarity matrix of two sets of embeddings, with the model's similarity function unless given. */
  similarity(a: Matrix, b: Matrix, fn: SimilarityFn = this.similarityFnName): Matrix {
    return similarityMatrix(a, b, fn);
  }

  info(): ModelInfo {
    return {
      layout: this.resolved.layout,
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
      tableBytes: this.table.byteLength,
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

function checkOptions(o: LoadOptions): void {
  if (o.truncateDim !== undefined && (!Number.isInteger(o.truncateDim) || o.truncateDim < 1)) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `truncateDim must be a positive integer, got ${describe(o.truncateDim)}.`,
    );
  }
  if (o.profile !== undefined && o.profile !== 'sentence-transformers' && o.profile !== 'model2vec') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `profile must be "sentence-transformers" or "model2vec", got ${describe(o.profile)}.`,
    );
  }
  if (o.maxLength !== undefined && o.maxLength !== null && (!Number.isInteger(o.maxLength) || o.maxLength < 1)) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `maxLength must be a positive integer or null, got ${describe(o.maxLength)}.`,
    );
  }
}
