/**
 * Similarity matrices with sentence-transformers' conventions: cosine, dot, and Euclidean / Manhattan as
 * negative distances (higher is more similar).
 */
import { StaticEmbedError } from '../errors.js';
import { Matrix } from './matrix.js';

export type SimilarityFn = 'cosine' | 'dot' | 'euclidean' | 'manhattan';
export const SIMILARITY_FNS: readonly SimilarityFn[] = ['cosine', 'dot', 'euclidean', 'manhattan'];

function check(a: Matrix, b: Matrix): void {
  if (a.cols !== b.cols) throw new StaticEmbedError('INVALID_ARGUMENT', `Embeddings have ${a.cols} and ${b.cols} dimensions; similarity needs the same dimension on both sides.`);
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

/** a.rows × b.rows matrix of the chosen similarity. */
export function similarityMatrix(a: Matrix, b: Matrix, fn: SimilarityFn = 'cosine'): Matrix {
  check(a, b);
  const out = new Matrix(a.rows, b.rows);
  const d = a.cols;
  const na = fn === 'cosine' ? norms(a) : undefined;
  const nb = fn === 'cosine' ? norms(b) : undefined;
  for (let i = 0; i < a.rows; i++) {
    const ao = i * d;
    for (let k = 0; k < b.rows; k++) {
      const bo = k * d;
      let s = 0;
      switch (fn) {
        case 'cosine':
        case 'dot':
          for (let j = 0; j < d; j++) s += a.data[ao + j]! * b.data[bo + j]!;
          if (fn === 'cosine') s /= Math.max(na![i]! * nb![k]!, 1e-8 * 1e-8);
          break;
        case 'euclidean':
          for (let j = 0; j < d; j++) { const x = a.data[ao + j]! - b.data[bo + j]!; s += x * x; }
          s = -Math.sqrt(s);
          break;
        case 'manhattan':
          for (let j = 0; j < d; j++) s += Math.abs(a.data[ao + j]! - b.data[bo + j]!);
          s = -s;
          break;
        default:
          throw new StaticEmbedError('INVALID_ARGUMENT', `Unknown similarity function ${JSON.stringify(fn)}; use one of ${SIMILARITY_FNS.join(', ')}.`);
      }
      out.data[i * b.rows + k] = s;
    }
  }
  return out;
}
