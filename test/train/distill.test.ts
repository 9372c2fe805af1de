/** Translation distillation: the loss, its gradient against finite differences, and training toward the teacher. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StaticModel } from '../../src/index.js';
import { Random } from '../../src/math/random.js';
import { DistillLoss } from '../../src/train/distill.js';
import { train, type Pair } from '../../src/entries/train.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dim = 6,
  vocab = 10;
const randomTable = (seed: number) => {
  const r = new Random(seed);
  return Float32Array.from({ length: vocab * dim }, () => r.next() * 2 - 1);
};
const batch = {
  anchors: [Uint32Array.of(1, 2), Uint32Array.of(3), Uint32Array.of(4, 4, 5)],
  positives: [Uint32Array.of(6, 7, 1), Uint32Array.of(8), Uint32Array.of(9, 2)],
};

describe('DistillLoss', () => {
  test('a student equal to the teacher has zero loss and gradient on the anchors alone', () => {
    const t = randomTable(1);
    const same = { anchors: batch.anchors, positives: batch.anchors };
    const r = new DistillLoss(t, dim).step(t.slice(), same);
    assert.equal(r.loss, 0);
    assert.ok(r.grads.values.every((v) => v === 0));
  });

  for (const metric of ['mse', 'cosine'] as const)
    test(`the ${metric} gradient equals central finite differences of the loss`, () => {
      const teacher = randomTable(2),
        student = randomTable(3);
      const loss = new DistillLoss(teacher, dim, metric);
      const { grads } = loss.step(student, batch);
      const rows = Array.from(grads.rows),
        values = Float64Array.from(grads.values);
      assert.deepEqual(
        [...rows].sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
      const h = 1e-2;
      for (const [k, row] of rows.entries())
        for (let j = 0; j < dim; j++) {
          const s = student.slice();
          s[row * dim + j] = student[row * dim + j]! + h;
          const up = loss.step(s, batch).loss;
          s[row * dim + j] = student[row * dim + j]! - h;
          const down = loss.step(s, batch).loss;
          assert.ok(Math.abs((up - down) / (2 * h) - values[k * dim + j]!) < 1e-4, `row ${row}, column ${j}`);
        }
    });

  test('a pair with an empty text is left out', () => {
    const t = randomTable(4);
    const r = new DistillLoss(t, dim).step(randomTable(5), {
      anchors: [new Uint32Array(0), Uint32Array.of(1)],
      positives: [Uint32Array.of(2), new Uint32Array(0)],
    });
    assert.equal(r.loss, 0);
    assert.equal(r.grads.rows.length, 0);
  });
});

describe('train with a teacher', () => {
  test('training pulls each positive onto the teacher embedding of its anchor', () => {
    const model = StaticModel.fromBytes(tinyModelFiles());
    const teacher = model.table.slice();
    const pairs: Pair[] = [
      { anchor: 'hello world', positive: 'good day' },
      { anchor: 'world', positive: 'day' },
    ];
    const target = model.encode(['hello world'], { normalize: false }).data.slice();
    const distance = () => {
      const e = model.encode(['good day'], { normalize: false }).data;
      return e.reduce((sum, v, j) => sum + (v - target[j]!) ** 2, 0);
    };
    const before = distance();
    const r = train(model, { datasets: [pairs], batchSize: 2, lr: 0.5, epochs: 60, seed: 1, teacher, weightDecay: 0 });
    assert.ok(r.losses[r.losses.length - 1]! < r.losses[0]! / 2, `${r.losses[0]} → ${r.losses.at(-1)}`);
    assert.ok(distance() < before / 4, `squared distance ${before} → ${distance()}`);
  });
});

describe('distillation within a contrastive run (distillDatasets)', () => {
  const contrastive: Pair[] = [
    { anchor: 'hello', positive: 'world' },
    { anchor: 'good', positive: 'day!' },
    { anchor: 'worlds', positive: 'hello!' },
  ];
  const distilled: Pair[] = [
    { anchor: 'hello world', positive: 'good day' },
    { anchor: 'world', positive: 'day' },
  ];
  const base = { batchSize: 2, lr: 0.5, epochs: 40, seed: 1, weightDecay: 0 };

  test('no dataset marked: the same table as a run without a teacher', () => {
    const a = StaticModel.fromBytes(tinyModelFiles()),
      b = StaticModel.fromBytes(tinyModelFiles());
    train(a, { ...base, datasets: [contrastive, distilled] });
    train(b, {
      ...base,
      datasets: [contrastive, distilled],
      teacher: b.table.slice(),
      distillDatasets: [false, false],
    });
    assert.deepEqual(b.table, a.table);
  });

  test("a marked dataset's positives move onto the teacher's anchors while the other dataset trains contrastively", () => {
    const model = StaticModel.fromBytes(tinyModelFiles());
    const teacher = model.table.slice();
    const target = model.encode(['hello world'], { normalize: false }).data.slice();
    const distance = (m: StaticModel) =>
      m.encode(['good day'], { normalize: false }).data.reduce((sum, v, j) => sum + (v - target[j]!) ** 2, 0);
    const before = distance(model);
    const plain = StaticModel.fromBytes(tinyModelFiles());
    train(plain, { ...base, datasets: [contrastive, distilled] });
    const r = train(model, { ...base, datasets: [contrastive, distilled], teacher, distillDatasets: [false, true] });
    assert.ok(distance(model) < before / 4, `squared distance ${before} → ${distance(model)}`);
    assert.ok(distance(model) < distance(plain), `${distance(model)} (distilled) vs ${distance(plain)} (contrastive)`);
    assert.ok(r.losses.every(Number.isFinite));
  });

  test('one flag per dataset, and a teacher when any is set', () => {
    const model = StaticModel.fromBytes(tinyModelFiles());
    assert.throws(
      () =>
        train(model, { ...base, datasets: [contrastive, distilled], teacher: model.table, distillDatasets: [true] }),
      /distillDatasets has 1 entries for 2 datasets/,
    );
    assert.throws(
      () => train(model, { ...base, datasets: [contrastive, distilled], distillDatasets: [false, true] }),
      /give a teacher table/,
    );
  });
});
