/** STS (MTEB's protocol): Pearson and Spearman of cosine similarity and negative Manhattan / Euclidean distances against gold scores. */
import { StaticEmbedError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { pairwiseSimilarity } from '../math/similarity.js';
import { pearson, spearman } from './metrics.js';

export interface StsScores {
  cosine_pearson: number;
  cosine_spearman: number;
  manhattan_pearson: number;
  manhattan_spearman: number;
  euclidean_pearson: number;
  euclidean_spearman: number;
  main_score: number;
}

export function evaluateSts(left: Matrix, right: Matrix, gold: ArrayLike<number>): StsScores {
  if (left.rows !== gold.length)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${left.rows} pairs but ${gold.length} gold scores.`);
  const cos = pairwiseSimilarity(left, right, 'cosine');
  const man = pairwiseSimilarity(left, right, 'manhattan');
  const euc = pairwiseSimilarity(left, right, 'euclidean');
  const s = {
    cosine_pearson: pearson(gold, cos),
    cosine_spearman: spearman(gold, cos),
    manhattan_pearson: pearson(gold, man),
    manhattan_spearman: spearman(gold, man),
    euclidean_pearson: pearson(gold, euc),
    euclidean_spearman: spearman(gold, euc),
  };
  return { ...s, main_score: s.cosine_spearman };
}
