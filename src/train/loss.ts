/**
 * MultipleNegativesRankingLoss inside MatryoshkaLoss and its exact gradient (the plain reference).
 * See ARCHITECTURE.md, "Training math".
 */
import { StaticEmbedError } from '../errors.js';

export interface LossConfig {
  dims: number[];
  weights?: number[];
  scale?: number;
  /** add the backward (positive → anchor) term and halve both (MultipleNegativesSymmetricRankingLoss) */
  symmetric?: boolean;
  /**
   * GTE's improved contrastive loss (sentence-transformers' MNRL, all four directions, partition_mode "joint"): a text
   * is also pushed away from the unrelated texts of its own side. See ARCHITECTURE.md, "Training math".
   */
  gte?: boolean;
}

/** A batch as id bags: anchors[i], positives[i], and optional negatives[i] (texts' token ids). */
export interface IdBatch {
  anchors: Uint32Array[];
  positives: Uint32Array[];
  negatives?: Uint32Array[];
}

export interface LossResult {
  loss: number;
  /** gradient of the loss per touched table row (row id → dim values) */
  grads: Map<number, Float64Array>;
}

function pool(table: Float32Array, dim: number, bag: Uint32Array): Float64Array {
  const v = new Float64Array(dim);
  if (bag.length === 0) return v;
  for (const id of bag) for (let j = 0; j < dim; j++) v[j] = v[j]! + table[id * dim + j]!;
  for (let j = 0; j < dim; j++) v[j] = v[j]! / bag.length;
  return v;
}

/** Loss and gradient of a batch; `dim` is the table's full width. */
export function matryoshkaMnrl(table: Float32Array, dim: number, batch: IdBatch, config: LossConfig): LossResult {
  const scale = config.scale ?? 20;
  const half = config.symmetric ? 0.5 : 1;
  const dims = config.dims;
  const weights = config.weights ?? dims.map(() => 1);
  checkLoss(dim, batch, config, weights);
  const B = batch.anchors.length;
  const cands = [...batch.positives, ...(batch.negatives ?? [])];
  const C = cands.length;
  const A = batch.anchors.map((b) => pool(table, dim, b));
  const P = cands.map((b) => pool(table, dim, b));
  const gA = A.map(() => new Float64Array(dim));
  const gP = P.map(() => new Float64Array(dim));
  let total = 0;
  dims.forEach((d, di) => {
    const w = weights[di]!;
    const norm = (v: Float64Array) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += v[j]! * v[j]!;
      return Math.max(Math.sqrt(s), 1e-12);
    };
    const nA = A.map(norm),
      nP = P.map(norm);
    // flat row-major copies of the normalized prefixes: U (B × d), V (C × d)
    const U = new Float64Array(B * d),
      V = new Float64Array(C * d);
    A.forEach((v, i) => {
      for (let k = 0; k < d; k++) U[i * d + k] = v[k]! / nA[i]!;
    });
    P.forEach((v, j) => {
      for (let k = 0; k < d; k++) V[j * d + k] = v[k]! / nP[j]!;
    });
    const dU = new Float64Array(B * d),
      dV = new Float64Array(C * d);
    const s = new Float64Array(C);
    let loss = 0;
    if (config.gte) loss += gteRows({ U, V, dU, dV, B, C, d, coef: (w * scale) / B, scale });
    for (let i = 0; i < (config.gte ? 0 : B); i++) {
      const io = i * d;
      let max = -Infinity;
      for (let j = 0; j < C; j++) {
        const jo = j * d;
        let x = 0;
        for (let k = 0; k < d; k++) x += U[io + k]! * V[jo + k]!;
        const sj = scale * x;
        s[j] = sj;
        if (sj > max) max = sj;
      }
      let z = 0;
      for (let j = 0; j < C; j++) z += Math.exp(s[j]! - max);
      loss += Math.log(z) + max - s[i]!;
      for (let j = 0; j < C; j++) {
        const g = (half * w * scale * (Math.exp(s[j]! - max) / z - (j === i ? 1 : 0))) / B; // dL/dS_ij · scale
        if (g === 0) continue;
        const jo = j * d;
        for (let k = 0; k < d; k++) {
          dU[io + k] = dU[io + k]! + g * V[jo + k]!;
          dV[jo + k] = dV[jo + k]! + g * U[io + k]!;
        }
      }
    }
    if (config.symmetric) loss += backwardRows(U, V, dU, dV, B, d, half * w * scale, scale);
    total += (half * w * loss) / B;
    // through the normalization: d(x/|x|) = (I − u uᵀ)/|x|
    const back = (u: Float64Array, du: Float64Array, o: number, n: number, out: Float64Array) => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += u[o + k]! * du[o + k]!;
      for (let k = 0; k < d; k++) out[k] = out[k]! + (du[o + k]! - u[o + k]! * dot) / n;
    };
    for (let i = 0; i < B; i++) back(U, dU, i * d, nA[i]!, gA[i]!);
    for (let j = 0; j < C; j++) back(V, dV, j * d, nP[j]!, gP[j]!);
  });
  return { loss: total, grads: scatterGrads(dim, [...batch.anchors, ...cands], [...gA, ...gP]) };
}

function checkLoss(dim: number, batch: IdBatch, config: LossConfig, weights: number[]): void {
  if (config.gte && config.symmetric)
    throw new StaticEmbedError('INVALID_ARGUMENT', 'The GTE loss already holds both directions: drop symmetric.');
  const dims = config.dims;
  if (weights.length !== dims.length)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${dims.length} Matryoshka dims but ${weights.length} weights.`);
  for (const d of dims)
    if (!Number.isInteger(d) || d < 1 || d > dim)
      throw new StaticEmbedError('INVALID_ARGUMENT', `Matryoshka dim ${d} must be between 1 and the model's ${dim}.`);
  const B = batch.anchors.length;
  if (batch.positives.length !== B || (batch.negatives && batch.negatives.length !== B))
    throw new StaticEmbedError('INVALID_ARGUMENT', 'anchors, positives and negatives must have the same length.');
}

/**
 * The symmetric loss's backward term: positive j's softmax over the anchors' scaled cosines, its own anchor the
 * target. Adds its gradient (times hws / B, hws = half · w · scale) to dU and dV; returns its summed loss.
 */
function backwardRows(
  U: Float64Array,
  V: Float64Array,
  dU: Float64Array,
  dV: Float64Array,
  B: number,
  d: number,
  hws: number,
  scale: number,
): number {
  let loss = 0;
  const t = new Float64Array(B);
  for (let j = 0; j < B; j++) {
    const jo = j * d;
    let max = -Infinity;
    for (let i = 0; i < B; i++) {
      let x = 0;
      for (let k = 0; k < d; k++) x += U[i * d + k]! * V[jo + k]!;
      t[i] = scale * x;
      if (t[i]! > max) max = t[i]!;
    }
    let z = 0;
    for (let i = 0; i < B; i++) z += Math.exp(t[i]! - max);
    loss += Math.log(z) + max - t[j]!;
    for (let i = 0; i < B; i++) {
      const g = (hws * (Math.exp(t[i]! - max) / z - (i === j ? 1 : 0))) / B;
      const io = i * d;
      for (let k = 0; k < d; k++) {
        dU[io + k] = dU[io + k]! + g * V[jo + k]!;
        dV[jo + k] = dV[jo + k]! + g * U[io + k]!;
      }
    }
  }
  return loss;
}

/** Through mean pooling, into the rows of each text's tokens: each text's gradient / its token count, per token. */
function scatterGrads(dim: number, bags: Uint32Array[], gradients: Float64Array[]): Map<number, Float64Array> {
  const grads = new Map<number, Float64Array>();
  bags.forEach((bag, b) => {
    if (bag.length === 0) return;
    const g = gradients[b]!;
    for (const id of bag) {
      let row = grads.get(id);
      if (!row) {
        row = new Float64Array(dim);
        grads.set(id, row);
      }
      for (let k = 0; k < dim; k++) row[k] = row[k]! + g[k]! / bag.length;
    }
  });
  return grads;
}

interface GteArgs {
  U: Float64Array;
  V: Float64Array;
  dU: Float64Array;
  dV: Float64Array;
  B: number;
  C: number;
  d: number;
  coef: number;
  scale: number;
}

/**
 * The GTE rows, plainly: for pair i one softmax over q_i·d_j (all candidates), q_i·q_j (j ≠ i), d_i·q_j (all
 * anchors) and d_i·d_j (candidates not of pair i), target q_i·d_i; returns the summed cross-entropies.
 */
function gteRows(a: GteArgs): number {
  const { U, V, dU, dV, B, C, d, coef, scale } = a;
  const dot = (X: Float64Array, x: number, Y: Float64Array, y: number) => {
    let t = 0;
    for (let k = 0; k < d; k++) t += X[x * d + k]! * Y[y * d + k]!;
    return t;
  };
  let loss = 0;
  for (let i = 0; i < B; i++) {
    // entries: [left matrix, left row, right matrix, right row]
    const e: Array<[0 | 1, number, 0 | 1, number]> = [];
    for (let j = 0; j < C; j++) e.push([0, i, 1, j]);
    for (let j = 0; j < B; j++) if (j !== i) e.push([0, i, 0, j]);
    for (let j = 0; j < B; j++) e.push([1, i, 0, j]);
    for (let j = 0; j < C; j++) if (j % B !== i) e.push([1, i, 1, j]);
    const mats = [U, V] as const,
      grads = [dU, dV] as const;
    const logits = e.map(([l, x, r, y]) => scale * dot(mats[l], x, mats[r], y));
    const max = Math.max(...logits);
    let z = 0;
    for (const v of logits) z += Math.exp(v - max);
    loss += Math.log(z) + max - logits[i]!;
    e.forEach(([l, x, r, y], t) => {
      const g = coef * (Math.exp(logits[t]! - max) / z - (t === i ? 1 : 0));
      const L = mats[l],
        R = mats[r],
        gL = grads[l],
        gR = grads[r];
      for (let k = 0; k < d; k++) {
        gL[x * d + k] = gL[x * d + k]! + g * R[y * d + k]!;
        gR[y * d + k] = gR[y * d + k]! + g * L[x * d + k]!;
      }
    });
  }
  return loss;
}
