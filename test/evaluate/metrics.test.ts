/**
 * Evaluation metrics against scipy, scikit-learn and sentence-transformers' evaluators on the same embeddings
 * (scripts/make-eval-goldens.py): within 1e-4 (in practice 1e-12).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Matrix, evaluateBitext, evaluatePairs, evaluateSts, rankdata, spearman } from '../../src/index.js';
import { readNpy } from '../helpers/npy.js';
import { repoFile } from '../helpers/shared.js';

const g = JSON.parse(readFileSync(repoFile('test/golden/eval-metrics.json'), 'utf8')) as {
  gold: number[]; labels: number[]; sts: Record<string, number>; pairs: Record<string, number>; bitext_target: number[][]; bitext: Record<string, number>;
};
const npy = readNpy(repoFile('test/golden/task-embeddings.npy'));
const E = new Matrix(npy.shape[0]!, npy.shape[1]!, Float32Array.from(npy.data));
const rows = (a: number, b: number) => new Matrix(b - a, E.cols, E.data.slice(a * E.cols, b * E.cols));
const close = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) <= 1e-4, `${what}: ${got} vs ${want}`);

test('rankdata and Spearman with ties (scipy)', () => {
  assert.deepEqual(Array.from(rankdata([3, 1, 3, 2, 3])), [4, 1, 4, 2, 4]);
  close(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 0.9486832980505138, 'spearman with a tie');
});

test('STS: Pearson / Spearman of cosine, Manhattan, Euclidean = scipy on the same pairs (gold with many ties)', () => {
  const s = evaluateSts(rows(0, 500), rows(500, 1000), g.gold);
  for (const [k, v] of Object.entries(g.sts)) close(s[k as keyof typeof s], v, k);
  assert.equal(s.main_score, s.cosine_spearman);
});

test('pair classification: AP (scikit-learn), best accuracy and F1 (sentence-transformers) per similarity', () => {
  const s = evaluatePairs(rows(0, 500), rows(500, 1000), g.labels);
  for (const [k, v] of Object.entries(g.pairs)) close(s[k]!, v, k);
  close(s.max_ap, Math.max(g.pairs.cosine_ap!, g.pairs.dot_ap!, g.pairs.manhattan_ap!, g.pairs.euclidean_ap!), 'max_ap');
});

test('bitext mining: nearest-neighbour weighted precision / recall / F1 (MTEB\'s logic, scikit-learn metrics)', () => {
  const target = Matrix.fromArrays(g.bitext_target);
  const s = evaluateBitext(rows(0, 300), target);
  for (const [k, v] of Object.entries(g.bitext)) close(s[k as keyof typeof s], v, k);
});
