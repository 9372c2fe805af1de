/**
 * Similarity matrices with sentence-transformers' conventions: cosine, dot, and Euclidean / Manhattan as
 * negative distances (higher is more similar).
 */
import { StaticEmbedError } from '../errors.js';
import { Matrix } from './matrix.js';

export type SimilarityFn = 'cosine' | 'dot' | 'euclidean' | 'manhattan';
export const SIMILARITY_FNS: readonly SimilarityFn[] = ['cosine', 'dot', 'euclidean', 'manhattan'];

function check(a: Matrix, b: Matrix): void {
  if (a.cols !== b.cols)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Embeddings have ${a.cols} and ${b.cols} dimensions; similarity needs the same dimension on both sides.`,
    );
}

function norms(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    for (let j = 0, o = i * m.cols; j < m.cols; j++) s += m.data[o + j]! * m.data[o + j]!;
    out[i] = Math.sqrt(s);
  }
  return out;
}

/** Row i of a against row i of b: one score per pair (sentence-transformers' pairwise_* functions). */
export function pairwiseSimilarity(left: Matrix, right: Matrix, fn: SimilarityFn = 'cosine'): Float64Array {
  check(left, right);
  if (left.rows !== right.rows)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Pairwise similarity needs the same number of rows, got ${left.rows} and ${right.rows}.`,
    );
  const out = new Float64Array(left.rows);
  for (let i = 0; i < left.rows; i++)
    out[i] = rowSimilarity(left.data, i * left.cols, right.data, i * right.cols, left.cols, fn);
  return out;
}

function rowSimilarity(x: Float32Array, xo: number, y: Float32Array, yo: number, d: number, fn: SimilarityFn): number {
  let s = 0;
  switch (fn) {
    case 'cosine': {
      let nx = 0,
        ny = 0;
      for (let j = 0; j < d; j++) {
        const a = x[xo + j]!,
          b = y[yo + j]!;
        s += a * b;
        nx += a * a;
        ny += b * b;
      }
      return s / (Math.max(Math.sqrt(nx), 1e-12) * Math.max(Math.sqrt(ny), 1e-12));
    }
    case 'dot':
      for (let j = 0; j < d; j++) s += x[xo + j]! * y[yo + j]!;
      return s;
    case 'euclidean':
      for (let j = 0; j < d; j++) {
        const t = x[xo + j]! - y[yo + j]!;
        s += t * t;
      }
      return -Math.sqrt(s);
    case 'manhattan':
      for (let j = 0; j < d; j++) s += Math.abs(x[xo + j]! - y[yo + j]!);
      return -s;
    default:
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Unknown similarity function ${JSON.stringify(fn)}; use one of ${SIMILARITY_FNS.join(', ')}.`,
      );
  }
}

/** Rows scaled to unit length (v / max(‖v‖, 1e-12)), as a new matrix. */
export function normalized(m: Matrix): Matrix {
  const out = new Matrix(m.rows, m.cols, m.data.slice(0, m.rows * m.cols));
  for (let i = 0; i < m.rows; i++) {
    let s = 0;
    const o = i * m.cols;
    for (let j = 0; j < m.cols; j++) s += out.data[o + j]! * out.data[o + j]!;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < m.cols; j++) out.data[o + j] = out.data[o + j]! * inv;
  }
  return out;
}

/** a.rows × b.rows matrix of the chosen similarity. */
export function similarityMatrix(left: Matrix, right: Matrix, fn: SimilarityFn = 'cosine'): Matrix {
  check(left, right);
  const out = new Matrix(left.rows, right.rows);
  const d = left.cols;
  const na = fn === 'cosine' ? norms(left) : undefined;
  const nb = fn === 'cosine' ? norms(right) : undefined;
  for (let i = 0; i < left.rows; i++) {
    const ao = i * d;
    for (let k = 0; k < right.rows; k++) {
      const bo = k * d;
      let s = 0;
      switch (fn) {
        case 'cosine':
        case 'dot':
          for (let j = 0; j < d; j++) s += left.data[ao + j]! * right.data[bo + j]!;
          if (fn === 'cosine') s /= Math.max(na![i]!, 1e-12) * Math.max(nb![k]!, 1e-12);
          break;
        case 'euclidean':
          for (let j = 0; j < d; j++) {
            const x = left.data[ao + j]! - right.data[bo + j]!;
            s += x * x;
          }
          s = -Math.sqrt(s);
          break;
        case 'manhattan':
          for (let j = 0; j < d; j++) s += Math.abs(left.data[ao + j]! - right.data[bo + j]!);
          s = -s;
          break;
        default:
          throw new StaticEmbedError(
            'INVALID_ARGUMENT',
            `Unknown similarity function ${JSON.stringify(fn)}; use one of ${SIMILARITY_FNS.join(', ')}.`,
          );
      }
      out.data[i * right.rows + k] = s;
    }
  }
  return out;
}
