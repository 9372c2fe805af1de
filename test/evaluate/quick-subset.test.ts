/**
 * `eval --quick` scores a seeded random sample of each dataset, not its first rows: the sample is the same on every
 * run, spreads over the whole set, and keeps every row-aligned array together (STS pairs with their scores and the
 * reversed cross-lingual direction, both sides of a bitext, classification texts with their labels) — on synthetic
 * items and on the real datasets of ../shared/eval.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticEmbedError } from '../../src/errors.js';
import { QUICK_SUBSET, sampleItem } from '../../src/evaluate/subset.js';
import type { EvalItem } from '../../src/evaluate/task.js';
import { Random } from '../../src/math/random.js';
import { evalItems } from '../../src/runtime/node/eval-run.js';
import { SHARED_DIR, sharedFile } from '../helpers/shared.js';

test('Random.sample: k distinct ascending indices, deterministic for a seed, all of them when k >= n', () => {
  const s = new Random(42).sample(1000, 400);
  assert.equal(s.length, 400);
  assert.equal(new Set(s).size, 400);
  assert.ok(s.every((x, i) => Number.isInteger(x) && x >= 0 && x < 1000 && (i === 0 || s[i - 1]! < x)));
  assert.deepEqual(new Random(42).sample(1000, 400), s);
  assert.notDeepEqual(new Random(43).sample(1000, 400), s);
  assert.deepEqual(new Random(42).sample(5, 400), [0, 1, 2, 3, 4]);
  assert.deepEqual(new Random(42).sample(0, 3), []);
  // spread over the whole range: each quarter of 0 … 999 holds roughly a quarter of the sample
  for (let q = 0; q < 4; q++) {
    const inQ = s.filter((x) => x >= q * 250 && x < (q + 1) * 250).length;
    assert.ok(inQ > 70 && inQ < 130, `quarter ${q}: ${inQ}`);
  }
});

const rowsOf = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

test('sampleItem keeps STS pairs, scores and the reversed direction, bitext sides and labels aligned', () => {
  const { rows, seed } = QUICK_SUBSET;
  const sts: EvalItem = {
    task: 'STS',
    type: 'sts',
    split: 'test',
    subset: 'en-de',
    a: rowsOf(1379, (i) => `a${i}`),
    b: rowsOf(1379, (i) => `b${i}`),
    scores: rowsOf(1379, (i) => String(i)).map(Number),
    reverse: { a: rowsOf(1379, (i) => `ra${i}`), b: rowsOf(1379, (i) => `rb${i}`) },
  };
  const q = sampleItem(sts, rows, seed);
  assert.equal(q.a.length, rows);
  assert.deepEqual(sampleItem(sts, rows, seed), q, 'deterministic');
  assert.notDeepEqual(q.a, sts.a.slice(0, rows), 'not the first rows');
  const idx = q.scores!;
  assert.ok(idx[rows - 1]! > 1000, 'drawn from the whole set');
  idx.forEach((i, k) => {
    assert.equal(q.a[k], `a${i}`);
    assert.equal(q.b[k], `b${i}`);
    assert.equal(q.reverse!.a[k], `ra${i}`);
    assert.equal(q.reverse!.b[k], `rb${i}`);
  });
  assert.deepEqual(
    { ...q, a: [], b: [], scores: [], reverse: undefined },
    { ...sts, a: [], b: [], scores: [], reverse: undefined },
  );

  const bitext: EvalItem = {
    task: 'Tatoeba',
    type: 'bitext',
    split: 'test',
    subset: 'deu-eng',
    a: rowsOf(1000, (i) => `${i} de`),
    b: rowsOf(1000, (i) => `${i} en`),
  };
  const qb = sampleItem(bitext, rows, seed);
  assert.equal(qb.a.length, rows);
  qb.a.forEach((s, k) => assert.equal(qb.b[k], s.replace(' de', ' en')));
  // items of equal length get the same rows: translations of one test set stay comparable across languages
  assert.deepEqual(
    qb.a.map((s) => Number(s.split(' ')[0])),
    new Random(seed).sample(1000, rows),
  );

  const cls: EvalItem = {
    task: 'Sentiment',
    type: 'classification',
    split: 'test',
    subset: 'english',
    a: rowsOf(3000, (i) => `train ${i}`),
    b: rowsOf(900, (i) => `test ${i}`),
    trainLabels: rowsOf(3000, (i) => `label${i % 3}`),
    testLabels: rowsOf(900, (i) => `label${i % 3}`),
  };
  const qc = sampleItem(cls, rows, seed);
  assert.equal(qc.a.length, rows);
  assert.equal(qc.b.length, rows);
  qc.a.forEach((s, k) => assert.equal(qc.trainLabels![k], `label${Number(s.split(' ')[1]) % 3}`));
  qc.b.forEach((s, k) => assert.equal(qc.testLabels![k], `label${Number(s.split(' ')[1]) % 3}`));
  assert.equal(new Set(qc.trainLabels).size, 3);
  // smaller than the sample: everything, in order
  assert.deepEqual(sampleItem({ ...bitext, a: ['x', 'y'], b: ['X', 'Y'] }, rows, seed).b, ['X', 'Y']);
  // misaligned arrays are an error, not a silent shift
  assert.throws(
    () => sampleItem({ ...sts, scores: [1, 2] }, rows, seed),
    (e) => e instanceof StaticEmbedError && e.code === 'INVALID_INPUT' && /1379 rows but 2 scores/.test(e.message),
  );
});

test('the quick items of the real datasets: a deterministic sample, not the first rows, every row a real pair', (t) => {
  if (!sharedFile(t, 'eval/stsb-multi-mt') || !sharedFile(t, 'eval/tatoeba')) return;
  const dataDir = `${SHARED_DIR}/eval`;
  const quick = evalItems({ dataDir, quick: true });
  assert.deepEqual(evalItems({ dataDir, quick: true }), quick, 'the same rows on every run');
  const full = new Map(evalItems({ dataDir }).map((it) => [`${it.task}/${it.subset}/${it.split}`, it]));
  const tuple = (it: EvalItem, i: number, side: 'a' | 'b' = 'a'): string =>
    it.type === 'classification'
      ? JSON.stringify(side === 'a' ? [it.a[i], it.trainLabels![i]] : [it.b[i], it.testLabels![i]])
      : JSON.stringify([it.a[i], it.b[i], it.scores?.[i], it.reverse?.a[i], it.reverse?.b[i]]);
  const tasks = new Set<string>();
  for (const q of quick) {
    const f = full.get(`${q.task}/${q.subset}/${q.split}`);
    assert.ok(f, `${q.task} ${q.subset}`);
    tasks.add(q.task);
    const sides: Array<'a' | 'b'> = q.type === 'classification' ? ['a', 'b'] : ['a'];
    for (const side of sides) {
      const n: number = f[side].length;
      assert.equal(q[side].length, Math.min(n, QUICK_SUBSET.rows), `${q.task} ${q.subset} ${side}`);
      if (n > QUICK_SUBSET.rows)
        assert.notDeepEqual(q[side], f[side].slice(0, QUICK_SUBSET.rows), `${q.task} ${q.subset}: not the first rows`);
      const all = new Set(Array.from({ length: n }, (_, i) => tuple(f, i, side)));
      for (let k = 0; k < q[side].length; k++)
        assert.ok(all.has(tuple(q, k, side)), `${q.task} ${q.subset} row ${k}: not a row of the full set`);
    }
  }
  for (const name of [
    'STSBenchmarkMultilingualSTS',
    'STSbCrossLingual',
    'Tatoeba',
    'PawsXPairClassification',
    'XNLI',
    'MultilingualSentiment',
  ])
    assert.ok(tasks.has(name), name);
});
