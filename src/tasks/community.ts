/**
 * Community detection with sentence-transformers' `community_detection` semantics.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { normalized } from '../math/similarity.js';
import { positiveInt } from './search.js';
import { BlockScanner, SPAN } from '../kernels/block-scanner.js';

export interface CommunityOptions {
  threshold?: number;
  minCommunitySize?: number;
  /** 'js' forces the plain loops (the reference); by default the thresholded SIMD kernel scores */
  kernel?: 'auto' | 'js';
}

/** For every row in order: the rows scoring ≥ thr with it (ascending) and a score lookup, from the kernel. */
function rowsAbove(e: Matrix, thr: number, visit: (ids: number[], scores: ArrayLike<number>) => void): void {
  const n = e.rows;
  const sc = new BlockScanner(e.data, n, e.cols);
  sc.setCorpus(e.data, 0, n);
  const t = sc.thresholds;
  t.fill(thr);
  const lists: number[][] = [[], [], [], []];
  const quad: Float32Array[] = [0, 1, 2, 3].map(() => new Float32Array(n));
  for (let i = 0; i < n; i += 4) {
    const nq = Math.min(4, n - i);
    for (const l of lists) l.length = 0;
    for (let j0 = 0; j0 < n; j0 += SPAN) {
      const cnt = sc.scan(i, nq, j0, t);
      for (let c = 0; c < cnt; c++) {
        const j = j0 + sc.rowOf(c);
        if (j >= n) continue;
        const k = sc.queryOf(c);
        lists[k]!.push(j);
        quad[k]![j] = sc.scoreOf(c);
      }
    }
    for (let k = 0; k < nq; k++) visit([...lists[k]!], quad[k]!);
  }
}

export function communityDetection(embeddings: Matrix, options: CommunityOptions = {}): number[][] {
  const threshold = options.threshold ?? 0.75;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold))
    throw new StaticEmbedError('INVALID_ARGUMENT', `threshold must be a number, got ${describe(threshold)}.`);
  const e = normalized(embeddings);
  const n = e.rows,
    d = e.cols,
    data = e.data;
  const minSize = Math.min(positiveInt('minCommunitySize', options.minCommunitySize, 10), n);
  const thr = Math.fround(threshold);
  const extracted: number[][] = [];
  const seed = (ids: number[], scores: ArrayLike<number>): void => {
    if (ids.length < minSize) return;
    extracted.push(ids.sort((a, b) => scores[b]! - scores[a]! || a - b));
  };
  if (options.kernel !== 'js') rowsAbove(e, thr, seed);
  else {
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const members: number[] = [];
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += data[i * d + t]! * data[j * d + t]!;
        scores[j] = s;
        if (scores[j]! >= thr) members.push(j);
      }
      seed(members, scores);
    }
  }
  const bySize = extracted
    .map((c, k) => ({ c, k }))
    .sort((x, y) => y.c.length - x.c.length || x.k - y.k)
    .map((x) => x.c);
  const taken = new Set<number>();
  const unique: number[][] = [];
  for (const community of bySize) {
    const rest = community.filter((idx) => !taken.has(idx));
    if (rest.length >= minSize) {
      unique.push(rest);
      for (const idx of rest) taken.add(idx);
    }
  }
  return unique
    .map((c, k) => ({ c, k }))
    .sort((x, y) => y.c.length - x.c.length || x.k - y.k)
    .map((x) => x.c);
}
