/**
 * Training a static model: MatryoshkaLoss(MNRL), sparse AdamW with warmup and linear decay, seeded.
 * See ARCHITECTURE.md, "Training math".
 */
import { StaticEmbedError } from '../errors.js';
import { Random } from '../math/random.js';
import type { StaticModel } from '../model/static-model.js';
import { sourcedEpochBatches, type Pair } from './data.js';
import type { GemmWorkspace } from '../kernels/gemm.js';
import { MnrlKernel } from './loss-kernel.js';
import { DistillLoss } from './distill.js';
import { SparseAdamW, linearSchedule, type AdamWState } from './optimizer.js';

export interface StepInfo {
  step: number;
  total: number;
  loss: number;
  lr: number;
  /** pairs per second since the start (or the resume) of this run */
  pairsPerSecond: number;
  /** seconds left at the current rate */
  eta: number;
}

/** Where a run stands: steps taken and the optimizer's state (the table is the model's). */
export interface TrainState {
  step: number;
  total: number;
  optimizer: AdamWState;
}

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
  /** the symmetric loss (MultipleNegativesSymmetricRankingLoss inside MatryoshkaLoss); default false */
  symmetric?: boolean;
  /** GTE's improved contrastive loss (MNRL with all four directions, one joint softmax); default false */
  gte?: boolean;
  /**
   * translation distillation instead of a contrastive loss: both texts of a pair are pulled onto this frozen
   * table's embedding of the anchor (mean squared error; same vocabulary and dim as the model), see DistillLoss
   */
  teacher?: Float32Array;
  /** the distance of distillation: 'mse' (default) or 'cosine' */
  distillMetric?: 'mse' | 'cosine';
  /**
   * per dataset, in the order of `datasets`: true when its batches take the distillation loss onto `teacher`, false
   * when they take the contrastive loss (default: every dataset distilled when a teacher is given)
   */
  distillDatasets?: readonly boolean[];
  /** 'auto' (SIMD when available), 'js' (plain loops), or a workspace such as ThreadedGemmWorkspace (Node) */
  kernel?: 'auto' | 'js' | GemmWorkspace;
  onStep?: (info: StepInfo) => void;
  /** called every `evalEvery` steps (default: 10 times per run) and at the end */
  onEval?: (step: number) => void;
  evalEvery?: number;
  /** called with the state every `checkpointEvery` steps (and when stopping early) */
  onCheckpoint?: (state: TrainState) => void;
  checkpointEvery?: number;
  /** continue a run from a checkpoint's state (same data, seed and options) */
  resume?: TrainState;
  /** stop after this step (a checkpoint is taken), e.g. to split a run */
  stopAfter?: number;
}

export interface TrainResult {
  steps: number;
  total: number;
  losses: number[];
  seconds: number;
  pairs: number;
}

export function train(model: StaticModel, options: TrainOptions): TrainResult {
  if (model.mapping)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      'A vocabulary-quantized model cannot be trained; start from its float table.',
    );
  const dims = options.matryoshkaDims ?? [model.dim];
  const batchSize = options.batchSize ?? 2048,
    epochs = options.epochs ?? 1,
    lr = options.lr ?? 0.2;
  const plan = batchPlan(options, batchSize, epochs);
  const total = plan.length;
  const first = options.resume?.step ?? 0;
  const opt = new SparseAdamW(
    model.table,
    model.dim,
    { lr, weightDecay: options.weightDecay ?? 0.01 },
    options.resume?.optimizer,
  );
  const warmup = Math.round((options.warmupRatio ?? 0.1) * total);
  const last = Math.min(total, options.stopAfter ?? total);
  const kernel = new MnrlKernel(model.table.length / model.dim, model.dim, options.kernel ?? 'auto');
  const distill = options.teacher
    ? new DistillLoss(options.teacher, model.dim, options.distillMetric ?? 'mse')
    : undefined;
  const ids = cachedIds(model);
  const losses: number[] = [];
  const start = performance.now();
  const state = (step: number): TrainState => ({ step, total, optimizer: opt.state });
  const evalEvery = options.evalEvery ?? Math.ceil(total / 10);
  let pairs = 0;
  for (let step = first; step < last; step++) {
    const { dataset, pairs: batch } = plan[step]!;
    const withNeg = batch.every((p) => p.negative !== undefined);
    const bags = {
      anchors: batch.map((p) => ids(p.anchor)),
      positives: batch.map((p) => ids(p.positive)),
      ...(withNeg ? { negatives: batch.map((p) => ids(p.negative!)) } : {}),
    };
    const r =
      distill && (options.distillDatasets?.[dataset] ?? true)
        ? distill.step(model.table, bags)
        : kernel.step(model.table, bags, {
            dims,
            scale: options.scale ?? 20,
            ...(options.symmetric ? { symmetric: true } : {}),
            ...(options.gte ? { gte: true } : {}),
          });
    if (!Number.isFinite(r.loss))
      throw new StaticEmbedError(
        'TRAINING_DIVERGED',
        `The loss became ${r.loss} at step ${step + 1}: lower --lr (now ${lr}).`,
      );
    const rate = linearSchedule(lr, step, total, warmup);
    opt.step(r.grads, rate);
    losses.push(r.loss);
    pairs += batch.length;
    const done = step + 1,
      secs = (performance.now() - start) / 1000;
    options.onStep?.({
      step: done,
      total,
      loss: r.loss,
      lr: rate,
      pairsPerSecond: pairs / secs,
      eta: ((total - done) * secs) / (done - first),
    });
    if (options.onEval && done % evalEvery === 0 && done < total) options.onEval(done);
    if (options.onCheckpoint && options.checkpointEvery && done % options.checkpointEvery === 0 && done < last)
      options.onCheckpoint(state(done));
  }
  if (last < total) options.onCheckpoint?.(state(last));
  else options.onEval?.(last);
  return { steps: last - first, total, losses, seconds: (performance.now() - start) / 1000, pairs };
}

/** Every step's batch, a pure function of the data and the seed (checked against the run a checkpoint came from). */
function batchPlan(o: TrainOptions, batchSize: number, epochs: number) {
  if (o.distillDatasets) {
    if (o.distillDatasets.length !== o.datasets.length)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `distillDatasets has ${o.distillDatasets.length} entries for ${o.datasets.length} datasets: give one per dataset.`,
      );
    if (o.distillDatasets.includes(true) && !o.teacher)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'distillDatasets marks a dataset for distillation: give a teacher table.',
      );
  }
  const rng = new Random(o.seed ?? 42);
  const plan = Array.from({ length: epochs }, () => sourcedEpochBatches(o.datasets, batchSize, rng)).flat();
  const total = plan.length;
  if (total === 0)
    throw new StaticEmbedError('INVALID_INPUT', 'The training data gives no batch of at least 2 distinct pairs.');
  if (o.resume && o.resume.total !== total)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `The checkpoint was taken in a run of ${o.resume.total} steps, but this data and ` +
        `these options give ${total}: resume with the same data, batch size, epochs and seed.`,
    );
  return plan;
}

/** A text's token ids, each text tokenized once per run. */
function cachedIds(model: StaticModel): (text: string) => Uint32Array {
  const cache = new Map<string, Uint32Array>();
  return (t) => {
    let v = cache.get(t);
    if (!v) {
      v = model.tokenizer.encode(t);
      cache.set(t, v);
    }
    return v;
  };
}
