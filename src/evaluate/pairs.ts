/**
 * Pair classification (MTEB's protocol): for cosine, dot, Manhattan and Euclidean, the average precision and the
 * best-threshold accuracy and F1; the main score is the best average precision over the four (max_ap).
 */
import { StaticEmbedError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { pairwiseSimilarity } from '../math/similarity.js';
import { averagePrecision, bestAccuracy, bestF1 } from './metrics.js';

export type PairScores = Record<string, number> & { max_ap: number; main_score: number };

export function evaluatePairs(left: Matrix, right: Matrix, labels: ArrayLike<number>): PairScores {
  if (left.rows !== labels.length)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${left.rows} pairs but ${labels.length} labels.`);
  const out: Record<string, number> = {};
  const best: Record<string, number[]> = { ap: [], accuracy: [], f1: [], precision: [], recall: [] };
  const fns = [
    ['cosine', 'cosine', true],
    ['dot', 'dot', true],
    ['manhattan', 'manhattan', false],
    ['euclidean', 'euclidean', false],
  ] as const;
  for (const [name, fn, high] of fns) {
    const sim = pairwiseSimilarity(left, right, fn);
    // distances are positive here, as MTEB passes them (smaller = more similar)
    const scores = high ? sim : sim.map((x) => -x);
    const acc = bestAccuracy(scores, labels, high);
    const f1 = bestF1(scores, labels, high);
    const ap = averagePrecision(labels, high ? scores : scores.map((x) => -x));
    const m = { accuracy: acc.accuracy, f1: f1.f1, precision: f1.precision, recall: f1.recall, ap };
    for (const [k, v] of Object.entries(m)) {
      out[`${name}_${k}`] = v;
      best[k]!.push(v);
    }
  }
  for (const [k, vs] of Object.entries(best)) out[`max_${k}`] = Math.max(...vs);
  return { ...out, max_ap: out.max_ap!, main_score: out.max_ap! } as PairScores;
}
