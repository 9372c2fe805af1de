/** Seeded test vectors for the search index (portable: also imported by the browser test page). */
import { Matrix } from '../../src/math/matrix.js';
import { Random } from '../../src/math/random.js';

/**
 * Clustered vectors in `d` dimensions: like real embeddings, neighbours share most sign bits. With `duplicateEvery`,
 * every such row repeats row 1 (exactly tied scores, so that ties are broken the same on any number of threads).
 */
export function clustered(n: number, d: number, seed: number, duplicateEvery = 0): Matrix {
  const rng = new Random(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rng.next() + 1e-12)) * Math.cos(2 * Math.PI * rng.next());
  const centers = Array.from({ length: 200 }, () => Float32Array.from({ length: d }, gauss));
  const m = new Matrix(n, d);
  for (let i = 0; i < n; i++) {
    const c = centers[rng.int(centers.length)]!;
    for (let j = 0; j < d; j++) m.data[i * d + j] = c[j]! + 0.6 * gauss();
  }
  if (duplicateEvery > 0) for (let i = duplicateEvery; i < n; i += duplicateEvery) m.data.copyWithin(i * d, d, 2 * d);
  return m;
}

/** Rows [a, b) of a matrix. */
export function rows(m: Matrix, a: number, b: number): Matrix {
  return new Matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
}
