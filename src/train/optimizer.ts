/**
 * Sparse AdamW for embedding tables: moments kept per row, and a step touches only the rows of the batch (their
 * decoupled weight decay included) — the lazy variant, like torch's SparseAdam plus AdamW's decay.
 */
import { StaticEmbedError } from '../errors.js';
import type { SparseGrad } from './loss-kernel.js';

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** The optimizer's state, for checkpoints: first and second moments per value, update count per row. */
export interface AdamWState {
  m: Float32Array;
  v: Float32Array;
  t: Uint32Array;
}

export class SparseAdamW {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  /** steps each row has been updated (bias correction per row) */
  private readonly t: Uint32Array;

  constructor(
    private readonly table: Float32Array,
    private readonly dim: number,
    private readonly o: AdamWOptions,
    state?: AdamWState,
  ) {
    const rows = table.length / dim;
    if (state && (state.m.length !== table.length || state.v.length !== table.length || state.t.length !== rows)) {
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `Optimizer state for ${state.t.length} rows × ${state.m.length / Math.max(1, state.t.length)} dims does not fit a table of ${rows} × ${dim}.`,
      );
    }
    this.m = state?.m ?? new Float32Array(table.length);
    this.v = state?.v ?? new Float32Array(table.length);
    this.t = state?.t ?? new Uint32Array(rows);
  }

  get state(): AdamWState {
    return { m: this.m, v: this.v, t: this.t };
  }

  step(grads: SparseGrad, lr = this.o.lr): void {
    const b1 = this.o.beta1 ?? 0.9,
      b2 = this.o.beta2 ?? 0.999,
      eps = this.o.eps ?? 1e-8,
      wd = this.o.weightDecay ?? 0.01;
    const d = this.dim,
      g = grads.values;
    for (let r = 0; r < grads.rows.length; r++) {
      const row = grads.rows[r]!;
      const t = ++this.t[row]!;
      const c1 = 1 - b1 ** t,
        c2 = 1 - b2 ** t;
      const o = row * d,
        go = r * d;
      for (let j = 0; j < d; j++) {
        const k = o + j,
          gj = g[go + j]!;
        const m = (this.m[k] = b1 * this.m[k]! + (1 - b1) * gj);
        const v = (this.v[k] = b2 * this.v[k]! + (1 - b2) * gj * gj);
        this.table[k] = this.table[k]! * (1 - lr * wd) - (lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
      }
    }
  }
}

/** Linear warmup to `lr` over `warmup` steps, then linear decay to 0 at `total` (transformers' default schedule). */
export function linearSchedule(lr: number, step: number, total: number, warmup: number): number {
  if (step < warmup) return (lr * (step + 1)) / Math.max(1, warmup);
  return lr * Math.max(0, (total - step) / Math.max(1, total - warmup));
}
