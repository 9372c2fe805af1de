/**
 * Clustering and classification against scikit-learn on the same inputs (scripts/make-task-goldens.py):
 * k-means inertia and labels from the same initial centroids, agglomerative partitions, and logistic
 * regression accuracy within 1 point on multilingual-sentiment (English, French, German).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LogisticRegression, Matrix, agglomerative, kmeans, knnPredict } from '../../src/index.js';
import { column, parseTable } from '../../src/formats/table.js';
import { miniBatchKMeans } from '../../src/tasks/kmeans.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { readNpy } from '../helpers/npy.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

const g = JSON.parse(readFileSync(repoFile('test/golden/tasks-sklearn.json'), 'utf8')) as {
  kmeans: { k: number; inertia: number; labels: number[]; n_iter: number };
  agglomerative: Record<string, { threshold: number; labels: number[] }>;
  classification: Record<string, { train: number; test: number; accuracy: number; predictions: string[] }>;
};
const npy = readNpy(repoFile('test/golden/task-embeddings.npy'));
const E = new Matrix(npy.shape[0]!, npy.shape[1]!, Float32Array.from(npy.data));
const rows = (m: Matrix, a: number, b: number) => new Matrix(b - a, m.cols, m.data.slice(a * m.cols, b * m.cols));
/** Labels renumbered by first appearance: equal partitions give equal arrays. */
const canonical = (labels: ArrayLike<number>) => {
  const m = new Map<number, number>();
  return Array.from(labels, (l) => {
    if (!m.has(l)) m.set(l, m.size);
    return m.get(l)!;
  });
};

test("k-means from the same initial centroids: scikit-learn's inertia and labels", () => {
  const r = kmeans(E, { k: g.kmeans.k, init: rows(E, 0, g.kmeans.k) });
  assert.ok(
    Math.abs(r.inertia - g.kmeans.inertia) <= 1e-4 * g.kmeans.inertia,
    `inertia ${r.inertia} vs ${g.kmeans.inertia}`,
  );
  assert.deepEqual(Array.from(r.labels), g.kmeans.labels);
  // k-means++ with a seed is reproducible, and never worse than a bad start by much
  const a = kmeans(E, { k: 8, seed: 7 }),
    b = kmeans(E, { k: 8, seed: 7 });
  assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
  assert.ok(a.inertia < g.kmeans.inertia * 1.1);
  const mb = miniBatchKMeans(E, { k: 8, seed: 1, batchSize: 256, maxIter: 50 });
  assert.ok(mb.inertia < g.kmeans.inertia * 1.25, `mini-batch inertia ${mb.inertia}`);
});

test("agglomerative clustering by threshold: scikit-learn's partitions, every linkage", () => {
  for (const [linkage, want] of Object.entries(g.agglomerative)) {
    const labels = agglomerative(rows(E, 0, want.labels.length), {
      threshold: want.threshold,
      linkage: linkage as 'average',
    });
    assert.deepEqual(canonical(labels), canonical(want.labels), linkage);
  }
});

/**
 * k-NN the obvious way, in float64: cosine to every training row, the k nearest, majority vote, a tie to the label
 * of the nearest. `label` is undefined where float32 rounding could change the answer (the k-th and k+1-th scores,
 * or two tied labels' nearest scores, within 1e-5).
 */
function bruteForceKnn(
  train: Matrix,
  labels: readonly string[],
  queries: Matrix,
  k: number,
): Array<string | undefined> {
  const norm = (m: Matrix, i: number) => Math.hypot(...m.row(i));
  return Array.from({ length: queries.rows }, (_, q) => {
    const qn = norm(queries, q);
    const scored = Array.from({ length: train.rows }, (_, i) => {
      let dot = 0;
      for (let j = 0; j < train.cols; j++) dot += queries.get(q, j) * train.get(i, j);
      return { i, s: dot / Math.max(qn * norm(train, i), 1e-12) };
    }).sort((a, b) => b.s - a.s || a.i - b.i);
    if (scored.length > k && scored[k - 1]!.s - scored[k]!.s < 1e-5) return undefined;
    const votes = new Map<string, { n: number; best: number }>();
    for (const { i, s } of scored.slice(0, k)) {
      const v = votes.get(labels[i]!) ?? { n: 0, best: s };
      v.n++;
      votes.set(labels[i]!, v);
    }
    const ranked = [...votes.entries()].sort((a, b) => b[1].n - a[1].n || b[1].best - a[1].best);
    const [first, second] = ranked;
    if (second && second[1].n === first![1].n && first![1].best - second[1].best < 1e-5) return undefined;
    return first![0];
  });
}

describe('k-NN', () => {
  test('the majority of the k nearest by cosine', () => {
    const train = new Matrix(5, 2, Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9, -1, 0]));
    const labels = ['x', 'x', 'y', 'y', 'z'];
    const queries = new Matrix(3, 2, Float32Array.from([1, 0.05, 0.05, 1, -1, 0.2]));
    // k = 3: two x (or two y) among the three nearest; the third query's nearest is z, but two y follow it
    assert.deepEqual(knnPredict(train, labels, queries, 3), ['x', 'y', 'y']);
    assert.deepEqual(knnPredict(train, labels, queries, 1), ['x', 'y', 'z']);
  });

  test('a tie goes to the label of the nearest neighbour', () => {
    // a 1–1 tie at k = 2: the label of the nearer neighbour wins
    const two = new Matrix(2, 2, Float32Array.from([1, 0, 0, 1]));
    const q = new Matrix(2, 2, Float32Array.from([0.6, 0.4, 0.4, 0.6]));
    assert.deepEqual(knnPredict(two, ['x', 'y'], q, 2), ['x', 'y']);
  });
});

test('logistic regression within 1 point of scikit-learn (and JSON round trip, k-NN)', (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return;
  const model = loadModelFolder(dir);
  for (const [lang, want] of Object.entries(g.classification)) {
    const read = (split: string) => {
      const p = sharedFile(t, `eval/multilingual-sentiment/${lang}/${split}.csv`);
      if (!p) return undefined;
      const table = parseTable(readFileSync(p, 'utf8'), p);
      return { texts: column(table, 'text') as string[], labels: column(table, 'label') as string[] };
    };
    const train = read('train'),
      testSet = read('test');
    if (!train || !testSet) return;
    assert.equal(train.texts.length, want.train);
    assert.equal(testSet.texts.length, want.test);
    const clf = LogisticRegression.fit(model.encode(train.texts), train.labels);
    const Xte = model.encode(testSet.texts);
    const pred = clf.predict(Xte);
    const acc = pred.filter((p, i) => p === testSet.labels[i]).length / pred.length;
    assert.ok(Math.abs(acc - want.accuracy) <= 0.01, `${lang}: accuracy ${acc} vs scikit-learn ${want.accuracy}`);
    const agree = pred.filter((p, i) => p === want.predictions[i]).length / pred.length;
    assert.ok(agree >= 0.97, `${lang}: ${agree} of predictions agree with scikit-learn`);
    const again = LogisticRegression.fromJSON(JSON.parse(JSON.stringify(clf.toJSON())));
    assert.deepEqual(again.predict(Xte), pred);
    const Xtr = model.encode(train.texts);
    const knn = knnPredict(Xtr, train.labels, Xte, 5);
    const ref = bruteForceKnn(Xtr, train.labels, Xte, 5);
    const clear = ref.filter((r) => r !== undefined).length;
    assert.ok(clear >= 0.99 * ref.length, `${lang}: ${ref.length - clear} near-ties`);
    ref.forEach((r, i) => r === undefined || assert.equal(knn[i], r, `${lang}: k-NN of test text ${i}`));
    const knnAcc = knn.filter((p, i) => p === testSet.labels[i]).length / knn.length;
    assert.ok(knnAcc > 1 / new Set(train.labels).size, `${lang}: k-NN accuracy ${knnAcc} above chance`);
  }
});
