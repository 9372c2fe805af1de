/**
 * A model's core from parts in memory (a tokenizer.json and a float32 table), no file format between.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { ResolvedLayout, SimilarityFnName } from '../formats/layouts.js';
import { shareableBytes } from '../kernels/shareable.js';
import { Tokenizer } from '../tokenizer/tokenizer.js';
import { assembleCore, checkLoadOptions, type LoadOptions, type ModelCore } from './core.js';

/** The parts of StaticModel.fromTable. */
export interface ModelTable {
  /** tokenizer.json, as bytes or text */
  tokenizer: Uint8Array | string;
  /** the embedding table, rows × dim float32 values, row-major: one row per token (or per mapping target) */
  table: Float32Array;
  /** columns of the table */
  dim: number;
  /** vocabulary quantization: the table row of each token id */
  mapping?: ArrayLike<number>;
  /** per-token weights (model2vec) */
  weights?: ArrayLike<number>;
  /** the model's similarity function (default cosine) */
  similarityFnName?: SimilarityFnName;
}

/** How a table built in memory presents itself (info, saving): a sentence-transformers StaticEmbedding. */
function tableLayout(t: ModelTable, options: LoadOptions): ResolvedLayout {
  return {
    layout: 'sentence-transformers',
    tokenizer: 'tokenizer.json',
    weights: 'model.safetensors',
    tensorNames: ['embedding.weight'],
    profile: options.profile ?? 'sentence-transformers',
    normalize: options.normalize ?? false,
    similarityFnName: t.similarityFnName ?? 'cosine',
    configFiles: [],
  };
}

export function coreFromTable(t: ModelTable, options: LoadOptions, resolved?: ResolvedLayout): ModelCore {
  checkLoadOptions(options);
  const { table, dim } = t;
  if (!(table instanceof Float32Array))
    throw new StaticEmbedError('INVALID_ARGUMENT', `table must be a Float32Array, got ${describe(table)}.`);
  if (!Number.isInteger(dim) || dim < 1 || table.length === 0 || table.length % dim !== 0)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `dim must be a positive integer dividing the table's ${table.length} values, got ${describe(dim)}.`,
    );
  const json = shareableBytes(typeof t.tokenizer === 'string' ? new TextEncoder().encode(t.tokenizer) : t.tokenizer);
  const rows = table.length / dim;
  return assembleCore(
    json,
    Tokenizer.fromJSON(json),
    {
      rows,
      sourceDim: dim,
      dtype: 'F32',
      keep: 'float32',
      fill: (dest, d) => {
        if (d === dim) dest.set(table);
        else for (let r = 0; r < rows; r++) dest.set(table.subarray(r * dim, r * dim + d), r * d);
      },
      mapping: t.mapping,
      weights: t.weights,
    },
    resolved ?? tableLayout(t, options),
    options,
  );
}
