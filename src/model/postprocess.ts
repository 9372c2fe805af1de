/**
 * Post-processing of pooled embeddings, small pure functions applied in one fixed order:
 * weight and mean (in the pooling kernel, model/static-model.ts) → truncate → normalize → (quantize, tasks).
 */
import { StaticEmbedError, describe } from '../errors.js';
import { Matrix } from '../math/matrix.js';

/** Epsilon of the norm: zero vectors stay zero (v / max(‖v‖, ε), as torch's F.normalize). */
export const NORM_EPSILON = 1e-12;

/** The one check of a truncation dimension (load, encode, truncate): a positive integer (or absent, if optional). */
export function checkTruncateDim(dim: unknown, optional = true): void {
  if (dim === undefined && optional) return;
  if (!Number.isInteger(dim) || (dim as number) < 1)
    throw new StaticEmbedError('INVALID_ARGUMENT', `truncateDim must be a positive integer, got ${describe(dim)}.`);
}

/** The first `dim` columns (Matryoshka truncation); the same matrix when dim ≥ cols. */
export function truncate(embeddings: Matrix, dim: number): Matrix {
  checkTruncateDim(dim, false);
  if (dim >= embeddings.cols) return embeddings;
  const out = new Matrix(embeddings.rows, dim);
  for (let i = 0; i < embeddings.rows; i++)
    out.data.set(embeddings.data.subarray(i * embeddings.cols, i * embeddings.cols + dim), i * dim);
  return out;
}

/** Each row divided by its L2 norm, in place. */
export function normalizeRows(embeddings: Matrix): Matrix {
  normalizeRange(embeddings.data, 0, embeddings.rows, embeddings.cols);
  return embeddings;
}

/** Rows [start, end) of a flat array of `d`-wide rows divided by their L2 norms, in place. */
export function normalizeRange(out: Float32Array, start: number, end: number, d: number): void {
  for (let i = start; i < end; i++) {
    const o = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += out[o + j]! * out[o + j]!;
    const inv = 1 / Math.max(Math.sqrt(s), NORM_EPSILON);
    for (let j = 0; j < d; j++) out[o + j] = out[o + j]! * inv;
  }
}
