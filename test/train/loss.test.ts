/**
 * The training loss equals sentence-transformers' MatryoshkaLoss(MultipleNegativesRankingLoss) on the same table
 * and batch (scripts/make-train-goldens.py) — loss and table gradient — and the gradient passes a finite-difference check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { matryoshkaMnrl, type IdBatch } from '../../src/train/loss.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

const g = JSON.parse(readFileSync(repoFile('test/golden/train-loss.json'), 'utf8')) as {
  anchors: string[];
  positives: string[];
  negatives: string[];
  cases: Array<{
    dims: number[];
    negatives: boolean;
    symmetric: boolean;
    gte?: boolean;
    loss: number;
    grad_rows: number[];
    grads: number[][];
  }>;
};

test("MatryoshkaLoss(MNRL, MNSRL, GTE): loss and table gradient equal sentence-transformers'", (t) => {
  const dir = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!dir) return;
  const model = loadModelFolder(dir);
  const ids = (texts: string[]) => texts.map((x) => model.tokenizer.encode(x));
  for (const c of g.cases) {
    const batch: IdBatch = {
      anchors: ids(g.anchors),
      positives: ids(g.positives),
      ...(c.negatives ? { negatives: ids(g.negatives) } : {}),
    };
    const r = matryoshkaMnrl(model.table, model.dim, batch, {
      dims: c.dims,
      symmetric: c.symmetric,
      gte: c.gte === true,
    });
    assert.ok(Math.abs(r.loss - c.loss) <= 1e-5 * Math.max(1, Math.abs(c.loss)), `loss ${r.loss} vs ${c.loss}`);
    assert.deepEqual(
      [...r.grads.keys()].sort((a, b) => a - b),
      c.grad_rows,
    );
    c.grad_rows.forEach((row, k) => {
      const ours = r.grads.get(row)!;
      c.grads[k]!.forEach((v, j) => assert.ok(Math.abs(ours[j]! - v) <= 1e-5, `grad[${row}][${j}] ${ours[j]} vs ${v}`));
    });
  }
});

for (const [symmetric, gte] of [
  [false, false],
  [true, false],
  [false, true],
] as const)
  test(`the gradient passes a finite-difference check${symmetric ? ' (symmetric loss)' : gte ? ' (GTE loss)' : ''}`, () => {
    // a small random table and batch, in float64 arithmetic through a Float32Array table
    let seed = 9;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const V = 40,
      D = 12;
    const table = Float32Array.from({ length: V * D }, rand);
    const bag = () =>
      Uint32Array.from(
        { length: 1 + Math.floor(((rand() + 1) / 2) * 5) },
        () => Math.floor(((rand() + 1) / 2) * V) % V,
      );
    const batch: IdBatch = {
      anchors: [bag(), bag(), bag(), bag()],
      positives: [bag(), bag(), bag(), bag()],
      negatives: [bag(), bag(), bag(), bag()],
    };
    const config = { dims: [12, 6, 3], scale: 5, symmetric, gte };
    const { grads } = matryoshkaMnrl(table, D, batch, config);
    let checked = 0;
    for (const [row, grad] of grads) {
      for (const j of [0, 4, 11]) {
        const h = 1e-2,
          orig = table[row * D + j]!;
        table[row * D + j] = orig + h;
        const up = matryoshkaMnrl(table, D, batch, config).loss;
        table[row * D + j] = orig - h;
        const down = matryoshkaMnrl(table, D, batch, config).loss;
        table[row * D + j] = orig;
        const numeric = (up - down) / (table[row * D + j]! + h - (orig - h));
        assert.ok(
          Math.abs(numeric - grad[j]!) <= 2e-3 * Math.max(1, Math.abs(grad[j]!)),
          `row ${row} col ${j}: numeric ${numeric} vs analytic ${grad[j]}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 20);
  });
