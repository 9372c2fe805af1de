/** Agglomerative clustering by distance threshold: single, complete or average linkage, cosine or Euclidean. */
// For small inputs: O(n²) memory (4·n² bytes).
import { StaticEmbedError, describe } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { normalized } from '../math/similarity.js';

export interface AgglomerativeOptions {
  threshold: number;
  linkage?: 'average' | 'complete' | 'single';
  metric?: 'cosine' | 'euclidean';
}

const MAX_ITEMS = 20_000;

/**
 * Cluster labels (numbered by first appearance) of the rows of `X`, merging while the closest pair of clusters is
 * nearer than `threshold` (scikit-learn's distance_threshold semantics).
 */
export function agglomerative(X: Matrix, options: AgglomerativeOptions): Int32Array {
  const { threshold } = options;
  const linkage = options.linkage ?? 'average';
  const metric = options.metric ?? 'cosine';
  checkOptions(X, threshold, linkage);
  const distances = pairDistances(metric === 'cosine' ? normalized(X) : X, metric);
  return labelsOf(mergeClusters(distances, threshold, linkage));
}

function checkOptions(X: Matrix, threshold: number, linkage: string): void {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw new StaticEmbedError('INVALID_ARGUMENT', `threshold must be a number, got ${describe(threshold)}.`);
  if (!['average', 'complete', 'single'].includes(linkage))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `linkage must be average, complete or single, got ${describe(linkage)}.`,
    );
  if (X.rows > MAX_ITEMS)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Agglomerative clustering holds n² distances; ${X.rows} items is over the ${MAX_ITEMS} limit. Use k-means (or mini-batch k-means) for large inputs.`,
    );
}

/** Distances between rows: the upper triangle only (i < k), row after row, n(n - 1)/2 of them. */
interface Distances {
  n: number;
  D: Float64Array;
  at(i: number, k: number): number;
}

function pairDistances(E: Matrix, metric: 'cosine' | 'euclidean'): Distances {
  const n = E.rows,
    d = E.cols;
  const D = new Float64Array((n * (n - 1)) / 2);
  const at = (i: number, k: number): number => (i < k ? i * n - (i * (i + 1)) / 2 + k - i - 1 : at(k, i));
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      let s = 0;
      if (metric === 'cosine') {
        for (let j = 0; j < d; j++) s += E.data[i * d + j]! * E.data[k * d + j]!;
        s = 1 - s;
      } else {
        for (let j = 0; j < d; j++) {
          const t = E.data[i * d + j]! - E.data[k * d + j]!;
          s += t * t;
        }
        s = Math.sqrt(s);
      }
      D[at(i, k)] = s;
    }
  }
  return { n, D, at };
}

/** Merges clusters while the closest pair is nearer than the threshold; each item's parent (a root is its own). */
function mergeClusters({ n, D, at }: Distances, threshold: number, linkage: string): Int32Array {
  const active = new Uint8Array(n).fill(1);
  const size = new Float64Array(n).fill(1);
  const parent = new Int32Array(n).map((_, i) => i);
  const nn = new Int32Array(n).fill(-1);
  const nnDist = new Float64Array(n).fill(Infinity);
  const refresh = (i: number): void => {
    let best = -1,
      bd = Infinity;
    for (let k = 0; k < n; k++)
      if (k !== i && active[k] && D[at(i, k)]! < bd) {
        bd = D[at(i, k)]!;
        best = k;
      }
    nn[i] = best;
    nnDist[i] = bd;
  };
  for (let i = 0; i < n; i++) refresh(i);
  for (let merges = 0; merges < n - 1; merges++) {
    let a = -1,
      bd = Infinity;
    for (let i = 0; i < n; i++)
      if (active[i] && nnDist[i]! < bd) {
        bd = nnDist[i]!;
        a = i;
      }
    if (a < 0 || !(bd < threshold)) break;
    const b = nn[a]!;
    for (let k = 0; k < n; k++) {
      if (!active[k] || k === a || k === b) continue;
      const da = D[at(a, k)]!,
        db = D[at(b, k)]!;
      const v =
        linkage === 'single'
          ? Math.min(da, db)
          : linkage === 'complete'
            ? Math.max(da, db)
            : (size[a]! * da + size[b]! * db) / (size[a]! + size[b]!);
      D[at(a, k)] = v;
    }
    active[b] = 0;
    size[a] = size[a]! + size[b]!;
    parent[b] = a;
    refresh(a);
    for (let k = 0; k < n; k++) if (active[k] && k !== a && (nn[k] === a || nn[k] === b)) refresh(k);
  }
  return parent;
}

/** Labels numbered by first appearance of each cluster's root. */
function labelsOf(parent: Int32Array): Int32Array {
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i]!;
    return i;
  };
  const ids = new Map<number, number>();
  const labels = new Int32Array(parent.length);
  for (let i = 0; i < parent.length; i++) {
    const r = root(i);
    if (!ids.has(r)) ids.set(r, ids.size);
    labels[i] = ids.get(r)!;
  }
  return labels;
}
