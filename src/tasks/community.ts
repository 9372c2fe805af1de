/**
 * Community detection with sentence-transformers' `community_detection` semantics: every item whose
 * min_community_size-th nearest neighbour (itself included) is at least `threshold` similar seeds a community
 * of all items at least that similar (most similar first); communities are taken largest first, without overlap.
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { normalized } from '../math/similarity.js';
import { positiveInt } from './search.js';

export interface CommunityOptions {
  threshold?: number;
  minCommunitySize?: number;
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
  const scores = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += data[i * d + t]! * data[j * d + t]!;
      scores[j] = s;
      if (scores[j]! >= thr) count++;
    }
    if (count < minSize) continue;
    const members: number[] = [];
    for (let j = 0; j < n; j++) if (scores[j]! >= thr) members.push(j);
    members.sort((a, b) => scores[b]! - scores[a]! || a - b);
    extracted.push(members);
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
