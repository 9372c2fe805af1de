/**
 * What a model is made of — the tokenizer, the table (in an arena the pooling kernel and worker threads read in
 * place) and how it was loaded — and the one place that assembles it from a table source (safetensors, a table
 * built in memory, or a worker's shared state), checking sizes and values.
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { ProfileName, ResolvedLayout } from '../formats/layouts.js';
import { Arena } from '../kernels/arena.js';
import { poolScratchBytes } from '../kernels/pool.js';
import type { PoolTable } from '../kernels/pool.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
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
}

/** A table to load: rows × sourceDim values written `dim` columns wide into `dest`, and the per-token arrays. */
export interface TableSource {
  rows: number;
  sourceDim: number;
  /** the dtype it was stored in (info) */
  dtype: string;
  fill(dest: Float32Array, dim: number): void;
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
  if (o.maxLength !== undefined && o.maxLength !== null && (!Number.isInteger(o.maxLength) || o.maxLength < 1)) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `maxLength must be a positive integer or null, got ${describe(o.maxLength)}.`,
    );
  }
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
  const arrays = [rows * dim, src.mapping ? vocab : 0, src.weights ? vocab : 0];
  // without shared memory (an ordinary web page): a private memory sized for the arrays and the kernel's scratch
  const privateBytes = arrays.reduce((a, n) => a + Math.ceil((4 * n) / 65536) * 65536, 0) + poolScratchBytes(dim);
  const arena = Arena.create(4 * (arrays[0]! + arrays[1]! + arrays[2]!), options.kernel !== 'js', privateBytes);
  const perToken = (a: ArrayLike<number>, name: string): void => {
    if (a.length !== vocab)
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `"${name}" has ${a.length} entries but the tokenizer has ${vocab} tokens; they must match.`,
      );
  };
  let mapping: { ptr: number; view: Uint32Array } | undefined;
  if (src.mapping) {
    const m = src.mapping;
    perToken(m, 'mapping');
    mapping = arena.u32(m.length);
    for (let i = 0; i < m.length; i++) {
      const r = m[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= rows)
        throw new StaticEmbedError('INVALID_MODEL', `"mapping"[${i}] = ${r} is not a row of the ${rows}-row table.`);
      mapping.view[i] = r;
    }
  }
  let weights: { ptr: number; view: Float32Array } | undefined;
  if (src.weights) {
    perToken(src.weights, 'weights');
    weights = arena.f32(vocab);
    weights.view.set(src.weights);
  }
  const table = arena.f32(rows * dim);
  src.fill(table.view, dim);
  const data = table.view;
  checkPoolable(data, dim, weights?.view);
  return {
    tokenizerJson,
    tokenizer,
    arena,
    table: data,
    tablePtr: table.ptr,
    tableRows: rows,
    dim,
    sourceDim,
    sourceDtype: src.dtype,
    weights: weights?.view,
    weightsPtr: weights?.ptr ?? 0,
    mapping: mapping?.view,
    mappingPtr: mapping?.ptr ?? 0,
    resolved,
    options,
  };
}

/**
 * The largest |table value × token weight| a model may have: pooling adds at most 2^32 such float32 products per
 * text (offsets are 32-bit), and a float32 sum of N terms of size ≤ M stays ≤ 2·N·M (each rounding moves it by at
 * most the term added), so 2^-34 of float32's maximum (about 2e28) can never overflow. Real models stay below 1e3.
 */
export const MAX_POOLED_TERM = 3.4028234663852886e38 / 2 ** 34;

/** Checks the values pooling reads: a finite table and finite weights whose products can never overflow a sum. */
export function checkPoolable(data: Float32Array, dim: number, weights: Float32Array | undefined): void {
  let maxAbs = 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (x - x !== 0)
      throw new StaticEmbedError(
        'INVALID_MODEL',
        `The embedding table holds a non-finite value (${x}) at row ${Math.floor(i / dim)}; the model is damaged.`,
      );
    const a = x < 0 ? -x : x;
    if (a > maxAbs) maxAbs = a;
  }
  let maxWeight = 1;
  if (weights) {
    maxWeight = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w - w !== 0)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `"weights"[${i}] (the weight of token ${i}) is ${w}, not a finite number; the model is damaged.`,
        );
      if (Math.abs(w) > maxWeight) maxWeight = Math.abs(w);
    }
  }
  if (maxAbs * maxWeight > MAX_POOLED_TERM)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `The embedding table's largest |value| (${maxAbs.toPrecision(3)})` +
        (weights ? ` times the largest |weight| (${maxWeight.toPrecision(3)})` : '') +
        ` is above ${MAX_POOLED_TERM.toPrecision(3)}: pooling a long text could overflow float32. Real static ` +
        'models stay far below (|values| under 1e3); the model is damaged or not an embedding table.',
    );
}
