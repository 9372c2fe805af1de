/**
 * Clustering and classification against scikit-learn on the same inputs (scripts/make-task-goldens.py):
 * k-means inertia and labels from the same initial centroids, agglomerative partitions, and logistic
 * regression accuracy within 1 point on multilingual-sentiment (English, French, German).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LogisticRegression, Matrix, agglomerative, kmeans, knnPredict } from '../../src/index.js';
import { column, parseTable } from '../../src/formats/table.js';
import { miniBatchKMeans } from '../../src/tasks/kmeans.js';
import { loadModelFolder } from '../../src/runtime/node/fs.js';
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

test("agglomerative clustering by distance threshold: scikit-learn's partitions (average, complete, single; cosine)", () => {
  for (const [linkage, want] of Object.entries(g.agglomerative)) {
    const labels = agglomerative(rows(E, 0, want.labels.length), {
      threshold: want.threshold,
      linkage: linkage as 'average',
    });
    assert.deepEqual(canonical(labels), canonical(want.labels), linkage);
  }
});

test('logistic regression: accuracy within 1 point of scikit-learn on multilingual-sentiment; JSON round trip', (t) => {
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
    const knn = knnPredict(model.encode(train.texts), train.labels, Xte, 5);
    assert.equal(knn.length, pred.length);
  }
});
