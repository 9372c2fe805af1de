/**
 * Classification with MTEB's repeated-experiment protocol (logistic regression on a few examples per label).
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import type { Matrix } from '../math/matrix.js';
import { Matrix as M } from '../math/matrix.js';
import { Random } from '../math/random.js';
import { LogisticRegression } from '../tasks/logistic.js';
import { weightedScores } from './metrics.js';

export interface ClassificationProtocol {
  experiments?: number;
  samplesPerLabel?: number;
  seed?: number;
}

export function evaluateClassification(
  train: Matrix,
  trainLabels: readonly string[],
  test: Matrix,
  testLabels: readonly string[],
  protocol: ClassificationProtocol = {},
): Record<string, number> {
  const experiments = protocol.experiments ?? 10,
    per = protocol.samplesPerLabel ?? 8;
  const rng = new Random(protocol.seed ?? 42);
  const accs: number[] = [],
    f1s: number[] = [];
  const classes = [...new Set(trainLabels)].sort();
  const code = (l: string) => classes.indexOf(l);
  for (let e = 0; e < experiments; e++) {
    const order = Array.from({ length: train.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const counts = new Map<string, number>();
    const picked: number[] = [];
    for (const i of order) {
      const l = trainLabels[i]!;
      if ((counts.get(l) ?? 0) < per) {
        counts.set(l, (counts.get(l) ?? 0) + 1);
        picked.push(i);
      }
    }
    const X = new M(picked.length, train.cols);
    picked.forEach((i, k) => X.data.set(train.data.subarray(i * train.cols, (i + 1) * train.cols), k * train.cols));
    const clf = LogisticRegression.fit(
      X,
      picked.map((i) => trainLabels[i]!),
      { maxIter: 100 },
    );
    const pred = clf.predict(test);
    const s = weightedScores(testLabels.map(code), pred.map(code));
    accs.push(s.accuracy);
    f1s.push(s.f1);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { accuracy: mean(accs), f1_weighted: mean(f1s), main_score: mean(accs) };
}
