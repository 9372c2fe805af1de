/**
 * Translation distillation: each text of a pair is pulled onto the teacher's embedding of the anchor (mean squared
 * error of the mean-pooled vectors), as in multilingual knowledge distillation (Reimers & Gurevych, 2020).
 */
import { StaticEmbedError } from '../errors.js';
import type { SparseGrad, KernelLossResult } from './loss-kernel.js';
import type { IdBatch } from './loss.js';

/**
 * L = 1/(B·D) Σ_i (‖s(p_i) − t(a_i)‖² + ‖s(a_i) − t(a_i)‖²), s the student's mean of a text's rows, t the teacher's
 * (a frozen table of the same vocabulary and dim); with 'cosine', L = 1/B Σ_i (2 − cos(s(p_i), t(a_i)) − cos(s(a_i),
 * t(a_i))). Pairs with an empty text are left out. dL/dE[k] = dL/ds(x) / n_x for each occurrence of row k in text x.
 */
export class DistillLoss {
  private slot: Int32Array;
  private stamp: Uint32Array;
  private gen = 0;
  private rows = new Uint32Array(1024);
  private values: Float32Array;
  private readonly target: Float64Array;
  private readonly mean: Float64Array;

  /** `metric`: 'mse' (the squared distance, the default) or 'cosine' (1 − cosine, blind to the vectors' lengths) */
  constructor(
    private readonly teacher: Float32Array,
    private readonly dim: number,
    private readonly metric: 'mse' | 'cosine' = 'mse',
  ) {
    if (teacher.length % dim !== 0)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `The teacher table (${teacher.length} values) is not rows × ${dim}.`,
      );
    const vocab = teacher.length / dim;
    this.slot = new Int32Array(vocab);
    this.stamp = new Uint32Array(vocab);
    this.values = new Float32Array(1024 * dim);
    this.target = new Float64Array(dim);
    this.mean = new Float64Array(dim);
  }

  /** Loss and sparse gradient of one batch; `table` is the student's (same shape as the teacher's). */
  step(table: Float32Array, batch: IdBatch): KernelLossResult {
    if (table.length !== this.teacher.length)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `The student table (${table.length} values) and the teacher's (${this.teacher.length}) differ in shape.`,
      );
    const D = this.dim,
      B = batch.anchors.length;
    if (++this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    let used = 0,
      loss = 0;
    for (let i = 0; i < B; i++) {
      const a = batch.anchors[i]!,
        p = batch.positives[i]!;
      if (a.length === 0 || p.length === 0) continue;
      meanOf(this.teacher, D, a, this.target);
      for (const text of [p, a]) {
        meanOf(table, D, text, this.mean);
        if (this.metric === 'mse') loss += this.mseGrad(text.length, B);
        else loss += this.cosineGrad(text.length, B);
        for (let k = 0; k < text.length; k++) {
          const row = text[k]!;
          let s: number;
          if (this.stamp[row] === this.gen) s = this.slot[row]!;
          else {
            s = used++;
            this.grow(used);
            this.stamp[row] = this.gen;
            this.slot[row] = s;
            this.rows[s] = row;
            this.values.fill(0, s * D, s * D + D);
          }
          const o = s * D;
          for (let j = 0; j < D; j++) this.values[o + j]! += this.mean[j]!;
        }
      }
    }
    const grads: SparseGrad = { rows: this.rows.subarray(0, used), values: this.values.subarray(0, used * D) };
    return { loss, grads };
  }

  /** ‖s − t‖²/(B·D); leaves dL/ds / n in `mean` */
  private mseGrad(n: number, B: number): number {
    const D = this.dim,
      c = 2 / (n * B * D);
    let loss = 0;
    for (let j = 0; j < D; j++) {
      const r = this.mean[j]! - this.target[j]!;
      loss += (r * r) / (B * D);
      this.mean[j] = r * c;
    }
    return loss;
  }

  /** (1 − cos(s, t))/B; leaves dL/ds / n = −(t/(‖s‖‖t‖) − cos · s/‖s‖²)/(n·B) in `mean` */
  private cosineGrad(n: number, B: number): number {
    const D = this.dim;
    let st = 0,
      ss = 0,
      tt = 0;
    for (let j = 0; j < D; j++) {
      st += this.mean[j]! * this.target[j]!;
      ss += this.mean[j]! * this.mean[j]!;
      tt += this.target[j]! * this.target[j]!;
    }
    if (ss === 0 || tt === 0) {
      this.mean.fill(0);
      return 0;
    }
    const ns = Math.sqrt(ss),
      nt = Math.sqrt(tt),
      cos = st / (ns * nt);
    for (let j = 0; j < D; j++) this.mean[j] = -(this.target[j]! / (ns * nt) - (cos * this.mean[j]!) / ss) / (n * B);
    return (1 - cos) / B;
  }

  private grow(n: number): void {
    if (n <= this.rows.length) return;
    const rows = new Uint32Array(this.rows.length * 2);
    rows.set(this.rows);
    this.rows = rows;
    const values = new Float32Array(rows.length * this.dim);
    values.set(this.values);
    this.values = values;
  }
}

function meanOf(table: Float32Array, dim: number, ids: Uint32Array, into: Float64Array): void {
  into.fill(0);
  for (let k = 0; k < ids.length; k++) {
    const o = ids[k]! * dim;
    for (let j = 0; j < dim; j++) into[j]! += table[o + j]!;
  }
  for (let j = 0; j < dim; j++) into[j]! /= ids.length;
}
