/**
 * The metrics of the evaluation tasks, with the Python references' exact definitions.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError } from '../errors.js';

/** Ranks 1..n, ties get the average of their ranks. */
export function rankdata(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const r = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && x[idx[j + 1]!] === x[idx[i]!]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = avg;
    i = j + 1;
  }
  return r;
}

export function pearson(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  const n = xs.length;
  if (n !== ys.length || n < 2)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Correlation needs two equally long series of at least 2 values, got ${n} and ${ys.length}.`,
    );
  let mx = 0,
    my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < n; i++) {
    const a = xs[i]! - mx,
      b = ys[i]! - my;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export function spearman(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  return pearson(rankdata(xs), rankdata(ys));
}

/** scikit-learn's average_precision_score for binary labels (1 = positive): Σ (R_n − R_{n−1}) · P_n over thresholds. */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positives++;
  if (positives === 0) return 0;
  let tp = 0,
    fp = 0,
    ap = 0,
    prevRecall = 0;
  for (let k = 0; k < n;) {
    const s = scores[idx[k]!]!;
    while (k < n && scores[idx[k]!] === s) {
      if (labels[idx[k]!] === 1) tp++;
      else fp++;
      k++;
    }
    const recall = tp / positives,
      precision = tp / (tp + fp);
    ap += (recall - prevRecall) * precision;
    prevRecall = recall;
  }
  return ap;
}

/** Best accuracy over thresholds between consecutive sorted scores (sentence-transformers / MTEB). */
export function bestAccuracy(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  highIsSimilar: boolean,
): { accuracy: number; threshold: number } {
  const n = scores.length;
  const rows = Array.from({ length: n }, (_, i) => i).sort(stableBy(scores, highIsSimilar));
  let best = 0,
    threshold = -1,
    positives = 0,
    remainingNeg = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 0) remainingNeg++;
  for (let i = 0; i < n - 1; i++) {
    if (labels[rows[i]!] === 1) positives++;
    else remainingNeg--;
    const acc = (positives + remainingNeg) / n;
    if (acc > best) {
      best = acc;
      threshold = (scores[rows[i]!]! + scores[rows[i + 1]!]!) / 2;
    }
  }
  return { accuracy: best, threshold };
}

/** Best F1 over thresholds (sentence-transformers / MTEB), with its precision and recall. */
export function bestF1(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  highIsSimilar: boolean,
): { f1: number; precision: number; recall: number; threshold: number } {
  const n = scores.length;
  const rows = Array.from({ length: n }, (_, i) => i).sort(stableBy(scores, highIsSimilar));
  let total = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) total++;
  let best = { f1: 0, precision: 0, recall: 0, threshold: 0 };
  let extracted = 0,
    correct = 0;
  for (let i = 0; i < n - 1; i++) {
    extracted++;
    if (labels[rows[i]!] === 1) correct++;
    if (correct > 0) {
      const p = correct / extracted,
        r = correct / total,
        f1 = (2 * p * r) / (p + r);
      if (f1 > best.f1)
        best = { f1, precision: p, recall: r, threshold: (scores[rows[i]!]! + scores[rows[i + 1]!]!) / 2 };
    }
  }
  return best;
}

/** Python's sorted(..., key=score, reverse=…) is stable in the original order for equal keys. */
function stableBy(scores: ArrayLike<number>, descending: boolean): (a: number, b: number) => number {
  return (a, b) => (descending ? scores[b]! - scores[a]! : scores[a]! - scores[b]!) || a - b;
}

/** scikit-learn's precision, recall and F1 with average="weighted" (weights = true support), and accuracy. */
export function weightedScores(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): { precision: number; recall: number; f1: number; accuracy: number } {
  const n = labels.length;
  const classes = new Set<number>();
  for (let i = 0; i < n; i++) {
    classes.add(labels[i]!);
    classes.add(predictions[i]!);
  }
  const tp = new Map<number, number>(),
    pred = new Map<number, number>(),
    support = new Map<number, number>();
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!,
      p = predictions[i]!;
    support.set(y, (support.get(y) ?? 0) + 1);
    pred.set(p, (pred.get(p) ?? 0) + 1);
    if (y === p) {
      tp.set(y, (tp.get(y) ?? 0) + 1);
      correct++;
    }
  }
  let P = 0,
    R = 0,
    F = 0;
  for (const c of classes) {
    const s = support.get(c) ?? 0;
    if (s === 0) continue; // weight 0
    const t = tp.get(c) ?? 0,
      pc = pred.get(c) ?? 0;
    const precision = pc === 0 ? 0 : t / pc,
      recall = t / s;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    P += (s / n) * precision;
    R += (s / n) * recall;
    F += (s / n) * f1;
  }
  return { precision: P, recall: R, f1: F, accuracy: correct / n };
}
