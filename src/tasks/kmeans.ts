/**
 * k-means (Lloyd) with k-means++ seeding, converging like scikit-learn's KMeans; a mini-batch variant.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError, describe } from '../errors.js';
import { Matrix } from '../math/matrix.js';
import { Random } from '../math/random.js';
import { positiveInt } from './search.js';

export interface KMeansOptions {
  k: number;
  seed?: number;
  maxIter?: number;
  tol?: number;
  /** initial centroids (k × dim) instead of k-means++ */
  init?: Matrix;
}

export interface KMeansResult {
  centroids: Matrix;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

function sqDist(x: Float32Array, xo: number, c: Float64Array | Float32Array, co: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const t = x[xo + j]! - c[co + j]!;
    s += t * t;
  }
  return s;
}

/** k-means++: each next centre drawn with probability ∝ squared distance to the nearest chosen one. */
export function kmeansPlusPlus(X: Matrix, k: number, rng: Random): Float64Array {
  const { rows: n, cols: d, data } = X;
  const c = new Float64Array(k * d);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) c[j] = data[first * d + j]!;
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = sqDist(data, i * d, c, 0, d);
  for (let m = 1; m < k; m++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += closest[i]!;
    let r = rng.next() * total,
      pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= closest[i]!;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    for (let j = 0; j < d; j++) c[m * d + j] = data[pick * d + j]!;
    for (let i = 0; i < n; i++) closest[i] = Math.min(closest[i]!, sqDist(data, i * d, c, m * d, d));
  }
  return c;
}

function assign(X: Matrix, c: Float64Array, k: number, labels: Int32Array): number {
  const { rows: n, cols: d, data } = X;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0,
      bd = Infinity;
    for (let m = 0; m < k; m++) {
      const s = sqDist(data, i * d, c, m * d, d);
      if (s < bd) {
        bd = s;
        best = m;
      }
    }
    labels[i] = best;
    inertia += bd;
  }
  return inertia;
}

export function kmeans(embeddings: Matrix, options: KMeansOptions): KMeansResult {
  const k = positiveInt('k', options.k, 8);
  const { rows: n, cols: d, data } = embeddings;
  if (k > n) throw new StaticEmbedError('INVALID_ARGUMENT', `k = ${k} clusters needs at least ${k} items, got ${n}.`);
  const maxIter = positiveInt('maxIter', options.maxIter, 300);
  const tolRel = options.tol ?? 1e-4;
  if (typeof tolRel !== 'number' || tolRel < 0)
    throw new StaticEmbedError('INVALID_ARGUMENT', `tol must be a number >= 0, got ${describe(tolRel)}.`);
  // scikit-learn's tolerance: tol × the mean of the per-feature variances
  let meanVar = 0;
  for (let j = 0; j < d; j++) {
    let s = 0,
      s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = data[i * d + j]!;
      s += x;
      s2 += x * x;
    }
    meanVar += s2 / n - (s / n) ** 2;
  }
  const tol = (meanVar / d) * tolRel;
  let c: Float64Array;
  if (options.init) {
    if (options.init.rows !== k || options.init.cols !== d)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `init must be ${k} × ${d}, got ${options.init.rows} × ${options.init.cols}.`,
      );
    c = Float64Array.from(options.init.data);
  } else c = kmeansPlusPlus(embeddings, k, new Random(options.seed ?? 0));
  const labels = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n);
  let iterations = 0;
  for (; iterations < maxIter; iterations++) {
    prev.set(labels);
    assign(embeddings, c, k, labels);
    const sums = new Float64Array(k * d),
      counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const m = labels[i]!;
      counts[m]!++;
      for (let j = 0; j < d; j++) sums[m * d + j] = sums[m * d + j]! + data[i * d + j]!;
    }
    let shift = 0;
    for (let m = 0; m < k; m++) {
      if (counts[m] === 0) continue; // an empty cluster keeps its centre
      for (let j = 0; j < d; j++) {
        const v = sums[m * d + j]! / counts[m]!;
        shift += (v - c[m * d + j]!) ** 2;
        c[m * d + j] = v;
      }
    }
    let same = iterations > 0;
    for (let i = 0; same && i < n; i++) same = prev[i] === labels[i];
    if (same) {
      iterations++;
      break;
    }
    if (shift <= tol) {
      iterations++;
      break;
    }
  }
  const inertia = assign(embeddings, c, k, labels);
  return { centroids: new Matrix(k, d, Float32Array.from(c)), labels, inertia, iterations };
}

/** Mini-batch k-means (Sculley 2010) for large inputs: per-centre learning rates 1 / count. */
export function miniBatchKMeans(X: Matrix, options: KMeansOptions & { batchSize?: number }): KMeansResult {
  const k = positiveInt('k', options.k, 8);
  const { rows: n, cols: d, data } = X;
  if (k > n) throw new StaticEmbedError('INVALID_ARGUMENT', `k = ${k} clusters needs at least ${k} items, got ${n}.`);
  const rng = new Random(options.seed ?? 0);
  const batch = Math.min(n, positiveInt('batchSize', options.batchSize, 1024));
  const iters = positiveInt('maxIter', options.maxIter, 100);
  const c = options.init ? Float64Array.from(options.init.data) : kmeansPlusPlus(X, k, rng);
  const counts = new Float64Array(k);
  for (let it = 0; it < iters; it++) {
    for (let b = 0; b < batch; b++) {
      const i = rng.int(n);
      let best = 0,
        bd = Infinity;
      for (let m = 0; m < k; m++) {
        const s = sqDist(data, i * d, c, m * d, d);
        if (s < bd) {
          bd = s;
          best = m;
        }
      }
      const eta = 1 / ++counts[best]!;
      for (let j = 0; j < d; j++) c[best * d + j] = c[best * d + j]! * (1 - eta) + data[i * d + j]! * eta;
    }
  }
  const labels = new Int32Array(n);
  const inertia = assign(X, c, k, labels);
  return { centroids: new Matrix(k, d, Float32Array.from(c)), labels, inertia, iterations: iters };
}
