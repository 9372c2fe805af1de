/**
 * What a model is made of, and the one place that assembles it from a table source.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { ProfileName, ResolvedLayout } from '../formats/layouts.js';
import { Arena } from '../kernels/arena.js';
import { poolScratchBytes } from '../kernels/pool.js';
import type { PoolTable } from '../kernels/pool.js';
import { TABLE_DTYPE_BYTES, type TableData, type TableDtype } from '../kernels/table-dtype.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { checkPoolable, codesNeedNoCheck } from './finite.js';
import { LazyRows, type RowSource } from './lazy-rows.js';
import { checkTruncateDim } from './postprocess.js';

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
  /**
   * The dtype the table is kept in: "stored" (default: int8 with per-row scales, float16 and bfloat16 tables stay
   * as stored and are pooled directly, with the same results) or "float32" (every table widened at load).
   */
  tableDtype?: 'stored' | 'float32';
}

/** Everything a model is made of: the pooling kernel's table (PoolTable) plus the tokenizer and provenance. */
export interface ModelCore extends PoolTable {
  tokenizerJson: Uint8Array;
  tokenizer: Tokenizer;
  arena: Arena;
  tableRows: number;
  sourceDim: number;
  sourceDtype: string;
  resolved: ResolvedLayout;
  options: LoadOptions;
  /** model2vec's median token length, when already known */
  medianTokenLength?: number;
  /** rows still in the file (read on first use): `ensure` them before reading the table */
  rows?: LazyRows | undefined;
}

/**
 * A table to load: rows × sourceDim values kept in `keep` (their stored dtype, or float32), written `dim` columns
 * wide into `dest`; int8 row scales; and the per-token arrays.
 */
export interface TableSource {
  rows: number;
  sourceDim: number;
  /** the dtype it was stored in (info) */
  dtype: string;
  /** the dtype it is kept in in memory: `fill` writes values of this dtype */
  keep: TableDtype;
  fill(dest: TableData, dim: number): void;
  /**
   * A table that can also be read a block of rows at a time, from a file left open (Node): rows [r0, r1) `dim`
   * columns wide into `dest`, and the file's release (called once, whether the table is read lazily or not).
   */
  rowRange?: { fill(dest: TableData, dim: number, r0: number, r1: number): void; release(): void } | undefined;
  /** int8 tables: each row's scale (values exact in float32) */
  scales?: Float32Array | undefined;
  /** vocabulary quantization: table row of each token id */
  mapping?: ArrayLike<number> | undefined;
  /** per-token weights */
  weights?: ArrayLike<number> | undefined;
}

export function checkLoadOptions(o: LoadOptions): void {
  checkTruncateDim(o.truncateDim);
  if (o.profile !== undefined && o.profile !== 'sentence-transformers' && o.profile !== 'model2vec') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `profile must be "sentence-transformers" or "model2vec", got ${describe(o.profile)}.`,
    );
  }
  if (o.tableDtype !== undefined && o.tableDtype !== 'stored' && o.tableDtype !== 'float32') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `tableDtype must be "stored" or "float32", got ${describe(o.tableDtype)}.`,
    );
  }
  if (o.maxLength !== undefined && o.maxLength !== null && (!Number.isInteger(o.maxLength) || o.maxLength < 1)) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `maxLength must be a positive integer or null, got ${describe(o.maxLength)}.`,
    );
  }
}

/** The arena for a table source: shared where possible, else a private memory sized for everything it will hold. */
function arenaFor(src: TableSource, dim: number, vocab: number, options: LoadOptions): Arena {
  const bytes = [
    src.rows * dim * TABLE_DTYPE_BYTES[src.keep],
    src.scales ? 4 * src.rows : 0,
    src.mapping ? 4 * vocab : 0,
    src.weights ? 4 * vocab : 0,
  ];
  // without shared memory (an ordinary web page): a private memory sized for the arrays and the kernel's scratch
  const privateBytes = bytes.reduce((a, n) => a + Math.ceil(n / 65536) * 65536, 0) + poolScratchBytes(dim);
  const arena = Arena.create(
    bytes.reduce((a, b) => a + b, 0),
    options.kernel !== 'js',
    privateBytes,
  );
  // without WebAssembly memory, workers still share the arrays as they are (no copy for them)
  arena.shareablePlain = true;
  return arena;
}

function perTokenCheck(a: ArrayLike<number>, name: string, vocab: number): void {
  if (a.length !== vocab)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `"${name}" has ${a.length} entries but the tokenizer has ${vocab} tokens; they must match.`,
    );
}

/** The mapping tensor in the arena, each entry checked to be a row of the table. */
function mappingInto(arena: Arena, m: ArrayLike<number>, rows: number): { ptr: number; view: Uint32Array } {
  const mapping = arena.u32(m.length);
  for (let i = 0; i < m.length; i++) {
    const r = m[i]!;
    if (!Number.isInteger(r) || r < 0 || r >= rows)
      throw new StaticEmbedError('INVALID_MODEL', `"mapping"[${i}] = ${r} is not a row of the ${rows}-row table.`);
    mapping.view[i] = r;
  }
  return mapping;
}

/** Room for the table in the arena, in the dtype it is kept in. */
function tableSlot(arena: Arena, src: TableSource, dim: number): { ptr: number; view: TableData } {
  const n = src.rows * dim;
  return src.keep === 'int8' ? arena.i8(n) : src.keep === 'float32' ? arena.f32(n) : arena.u16(n);
}

/** The whole table read into its slot; the file is released either way. */
function fillTable(src: TableSource, view: TableData, dim: number): void {
  try {
    src.fill(view, dim);
  } finally {
    src.rowRange?.release();
  }
}

/**
 * Rows read on first use, for an int8 table read from a file whose load-time checks need only its scales (see
 * ARCHITECTURE.md, "Loading and downloads"); undefined when the table is read whole.
 */
function lazyRows(
  src: TableSource,
  view: TableData,
  dim: number,
  scales: Float32Array | undefined,
  weights: Float32Array | undefined,
): LazyRows | undefined {
  const range = src.rowRange;
  if (!range || src.keep !== 'int8' || src.mapping || !codesNeedNoCheck(scales, weights)) return undefined;
  const source: RowSource = { fill: (r0, r1) => range.fill(view, dim, r0, r1), release: () => range.release() };
  return new LazyRows(src.rows, source);
}

/** Copies a table source into a new arena (checked options first: see checkLoadOptions) and returns the core. */
export function assembleCore(
  tokenizerJson: Uint8Array,
  tokenizer: Tokenizer,
  src: TableSource,
  resolved: ResolvedLayout,
  options: LoadOptions,
): ModelCore {
  const { rows, sourceDim } = src;
  const dim = options.truncateDim !== undefined ? Math.min(options.truncateDim, sourceDim) : sourceDim;
  const vocab = tokenizer.vocabSize;
  if (!src.mapping && rows !== vocab) {
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `The embedding table has ${rows} rows but the tokenizer has ${vocab} tokens; ` +
        `expected one row per token (or a "mapping" tensor).`,
    );
  }
  if (src.mapping) perTokenCheck(src.mapping, 'mapping', vocab);
  if (src.weights) perTokenCheck(src.weights, 'weights', vocab);
  const arena = arenaFor(src, dim, vocab, options);
  const mapping = src.mapping ? mappingInto(arena, src.mapping, rows) : undefined;
  let weights: { ptr: number; view: Float32Array } | undefined;
  if (src.weights) {
    weights = arena.f32(vocab);
    weights.view.set(src.weights);
  }
  let scales: { ptr: number; view: Float32Array } | undefined;
  if (src.scales) {
    scales = arena.f32(rows);
    scales.view.set(src.scales);
  }
  const table = tableSlot(arena, src, dim);
  const lazy = lazyRows(src, table.view, dim, scales?.view, weights?.view);
  // a lazily read table passes its checks on the scales alone (codesNeedNoCheck)
  if (!lazy) {
    fillTable(src, table.view, dim);
    checkPoolable(table.view, src.keep, dim, scales?.view, weights?.view);
  }
  return {
    tokenizerJson,
    tokenizer,
    arena,
    dtype: src.keep,
    table: table.view,
    tablePtr: table.ptr,
    tableRows: rows,
    dim,
    sourceDim,
    sourceDtype: src.dtype,
    scales: scales?.view,
    scalesPtr: scales?.ptr ?? 0,
    weights: weights?.view,
    weightsPtr: weights?.ptr ?? 0,
    mapping: mapping?.view,
    mappingPtr: mapping?.ptr ?? 0,
    resolved,
    options,
    rows: lazy,
  };
}

export { MAX_POOLED_TERM } from './finite.js';
