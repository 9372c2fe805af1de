/** Per-token vectors: each token's table row after the model's own weighting, before pooling, with its offsets. */
import { StaticEmbedError, describe } from '../errors.js';
import { Matrix } from '../math/matrix.js';
import { toCodePointOffsets } from '../tokenizer/offsets.js';
import type { Tokenizer } from '../tokenizer/tokenizer.js';
import { widenRange, type TableData, type TableDtype } from '../kernels/table-dtype.js';

export interface EncodeTokensOptions {
  /** Keep the first N dimensions of every vector. */
  truncateDim?: number;
  /**
   * At most N tokens per text, cut as `encode` cuts (model2vec: the text first cut to N × the median token
   * length in characters). Default: the model's maxLength on sentence-transformers layouts, none on model2vec
   * layouts (as model2vec's encode_as_sequence).
   */
  maxLength?: number | null;
  /** Unit of `starts`/`ends`: "code-points" (default, as Hugging Face tokenizers reports) or "utf16" (JS indices). */
  offsets?: 'code-points' | 'utf16';
}

/** One text's tokens: ids, where each token is in the text, and one vector per token. */
export interface TokenVectors {
  ids: Uint32Array;
  /** token i spans [starts[i], ends[i]) of the text, in the unit of the `offsets` option */
  starts: Uint32Array;
  ends: Uint32Array;
  /** tokens × dim: row i is token i's table row (model2vec: mapped and weighted) */
  vectors: Matrix;
}

/** What per-token encoding reads off a model. */
export interface TokenRowSource {
  tokenizer: Tokenizer;
  /** the table as stored (float32, int8 with per-row `scales`, float16 or bfloat16 bits): rows are widened one by one */
  table: TableData;
  dtype: TableDtype;
  scales: Float32Array | undefined;
  dim: number;
  mapping: Uint32Array | undefined;
  weights: Float32Array | undefined;
  /** an id left out (model2vec's [UNK]), if any */
  dropId: number | undefined;
  /** the text cut to `maxLength` tokens' worth of characters before tokenizing */
  cutText(text: string, maxLength: number): string;
}

export function checkEncodeTokensOptions(o: EncodeTokensOptions): void {
  const m = o.maxLength;
  if (m !== undefined && m !== null && (!Number.isInteger(m) || m < 1))
    throw new StaticEmbedError('INVALID_ARGUMENT', `maxLength must be a positive integer or null, got ${describe(m)}.`);
  if (o.offsets !== undefined && o.offsets !== 'code-points' && o.offsets !== 'utf16')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `offsets must be "code-points" or "utf16", got ${describe(o.offsets)}.`,
    );
}

/** One text's token vectors (outDim ≤ dim columns). */
export function tokenVectors(
  src: TokenRowSource,
  text: string,
  outDim: number,
  maxLength: number | null,
  units: 'code-points' | 'utf16',
): TokenVectors {
  const cut = maxLength === null ? text : src.cutText(text, maxLength);
  const t = src.tokenizer.encodeWithOffsets(cut);
  const keep: number[] = [];
  for (let i = 0; i < t.ids.length && (maxLength === null || keep.length < maxLength); i++)
    if (t.ids[i] !== src.dropId) keep.push(i);
  const n = keep.length;
  const ids = new Uint32Array(n),
    starts = new Uint32Array(n),
    ends = new Uint32Array(n);
  const vectors = new Matrix(n, outDim);
  const { table, dtype, scales, dim, mapping, weights } = src;
  const out = vectors.data;
  for (let k = 0; k < n; k++) {
    const i = keep[k]!,
      id = t.ids[i]!;
    ids[k] = id;
    starts[k] = t.starts[i]!;
    ends[k] = t.ends[i]!;
    const r = mapping ? mapping[id]! : id;
    widenRange(table, dtype, scales ? scales[r]! : 1, r * dim, outDim, out, k * outDim);
    if (weights) {
      const w = weights[id]!;
      for (let j = k * outDim; j < (k + 1) * outDim; j++) out[j] = out[j]! * w;
    }
  }
  if (units === 'utf16') return { ids, starts, ends, vectors };
  return { ids, starts: toCodePointOffsets(text, starts), ends: toCodePointOffsets(text, ends), vectors };
}
