/**
 * Training a static model: MatryoshkaLoss(MNRL) on batches of (anchor, positive[, negative]) pairs, sparse AdamW
 * with warmup and linear decay, seeded; updates the model's table in place.
 */
import { StaticEmbedError } from '../errors.js';
import { Random } from '../math/random.js';
import type { StaticModel } from '../model.js';
import { epochBatches, type Pair } from './data.js';
import { MnrlKernel } from './loss-kernel.js';
import { SparseAdamW, linearSchedule } from './optimizer.js';

export interface TrainOptions {
  datasets: Pair[][];
  matryoshkaDims?: number[];
  batchSize?: number;
  lr?: number;
  epochs?: number;
  warmupRatio?: number;
  weightDecay?: number;
  seed?: number;
  scale?: number;
  onStep?: (info: { step: number; total: number; loss: number; lr: number; pairsPerSecond: number }) => void;
  /** called every `evalEvery` steps (and at the end) */
  onEval?: (step: number) => void;
  evalEvery?: number;
}

export interface TrainResult {
  steps: number;
  losses: number[];
  seconds: number;
  pairs: number;
}

export function train(model: StaticModel, o: TrainOptions): TrainResult {
  if (model.mapping) throw new StaticEmbedError('INVALID_ARGUMENT', 'A vocabulary-quantized model cannot be trained; start from its float table.');
  const dims = o.matryoshkaDims ?? [model.dim];
  const batchSize = o.batchSize ?? 2048, epochs = o.epochs ?? 1, lr = o.lr ?? 0.2;
  const rng = new Random(o.seed ?? 42);
  const opt = new SparseAdamW(model.table, model.dim, { lr, weightDecay: o.weightDecay ?? 0.01 });
  const plan = Array.from({ length: epochs }, () => epochBatches(o.datasets, batchSize, rng));
  const total = plan.reduce((a, b) => a + b.length, 0);
  const warmup = Math.round((o.warmupRatio ?? 0.1) * total);
  const cache = new Map<string, Uint32Array>();
  const ids = (t: string) => { let v = cache.get(t); if (!v) { v = model.tokenizer.encode(t); cache.set(t, v); } return v; };
  const kernel = new MnrlKernel(model.table.length / model.dim, model.dim);
  const losses: number[] = [];
  const start = performance.now();
  let step = 0, pairs = 0;
  for (const batches of plan) {
    for (const batch of batches) {
      const withNeg = batch.every((p) => p.negative !== undefined);
      const r = kernel.step(model.table, {
        anchors: batch.map((p) => ids(p.anchor)), positives: batch.map((p) => ids(p.positive)),
        ...(withNeg ? { negatives: batch.map((p) => ids(p.negative!)) } : {}),
      }, { dims, scale: o.scale ?? 20 });
      const rate = linearSchedule(lr, step, total, warmup);
      opt.step(r.grads, rate);
      losses.push(r.loss);
      pairs += batch.length;
      step++;
      o.onStep?.({ step, total, loss: r.loss, lr: rate, pairsPerSecond: pairs / ((performance.now() - start) / 1000) });
      if (o.onEval && o.evalEvery && step % o.evalEvery === 0) o.onEval(step);
    }
  }
  o.onEval?.(step);
  return { steps: step, losses, seconds: (performance.now() - start) / 1000, pairs };
}
