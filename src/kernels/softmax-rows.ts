/**
 * The per-anchor part of the loss: row softmax, cross-entropy and dL/dcos for anchor rows [i0, i1).
 * See ARCHITECTURE.md, "Training math".
 */
export interface SoftmaxArgs {
  /** raw prefix dot products, B rows of Cp floats */
  R: Float32Array;
  B: number;
  C: number;
  Cp: number;
  /** anchor norms (clamped to 1e-12) and inverse candidate norms (0 for a zero candidate) */
  na: Float64Array;
  invP: Float64Array;
  weight: number;
  scale: number;
  M: Float32Array;
  alpha: Float64Array;
  /** this slice's β partial sums (C values) */
  beta: Float64Array;
  /** scratch rows of C values */
  cos: Float64Array;
  e: Float64Array;
}

/** Adds rows [i0, i1) into M, α and β; returns the sum of their cross-entropies (not yet weighted or averaged). */
export function softmaxRows(a: SoftmaxArgs, i0: number, i1: number): number {
  const { R, B, C, Cp, na, invP, scale, M, alpha, beta, cos, e } = a;
  const k = (a.weight * scale) / B;
  let loss = 0;
  for (let i = i0; i < i1; i++) {
    const ro = i * Cp,
      ia = 1 / na[i]!;
    let max = -Infinity;
    for (let j = 0; j < C; j++) {
      const v = R[ro + j]! * ia * invP[j]!;
      cos[j] = v;
      if (v > max) max = v;
    }
    const z = expSum(cos, e, C, scale, max);
    loss += Math.log(z) + scale * (max - cos[i]!);
    if (!(na[i]! > 1e-12)) continue;
    // G_ij = dL/dcos_ij = weight · scale · (softmax_ij − δ_ij) / B
    const kz = k / z;
    let ai = 0;
    for (let j = 0; j < C; j++) {
      const g = kz * e[j]! - (j === i ? k : 0),
        c = cos[j]!,
        ip = invP[j]!;
      M[ro + j] = M[ro + j]! + g * ia * ip;
      ai += g * c;
      beta[j] = beta[j]! + g * c * ip * ip;
    }
    alpha[i] = alpha[i]! + ai * ia * ia;
  }
  return loss;
}

/**
 * The backward term of the symmetric loss: for each positive j < B, the softmax over the B anchors' scaled cosines
 * (column j of the anchor × positive block), its cross-entropy with target anchor j, and dL/dcos folded into M, α and
 * β as `softmaxRows` does. `cos` and `e` are scratch of B values. Returns the sum of the cross-entropies.
 */
export function softmaxCols(a: SoftmaxArgs): number {
  const { R, B, Cp, na, invP, scale, M, alpha, beta, cos, e } = a;
  const k = (a.weight * scale) / B;
  let loss = 0;
  for (let j = 0; j < B; j++) {
    const ip = invP[j]!;
    let max = -Infinity;
    for (let i = 0; i < B; i++) {
      const v = (R[i * Cp + j]! / na[i]!) * ip;
      cos[i] = v;
      if (v > max) max = v;
    }
    const z = expSum(cos, e, B, scale, max);
    loss += Math.log(z) + scale * (max - cos[j]!);
    if (ip === 0) continue;
    const kz = k / z;
    let bj = 0;
    for (let i = 0; i < B; i++) {
      if (!(na[i]! > 1e-12)) continue;
      const g = kz * e[i]! - (i === j ? k : 0),
        c = cos[i]!,
        ia = 1 / na[i]!;
      M[i * Cp + j] = M[i * Cp + j]! + g * ia * ip;
      alpha[i] = alpha[i]! + g * c * ia * ia;
      bj += g * c;
    }
    beta[j] = beta[j]! + bj * ip * ip;
  }
  return loss;
}

/**
 * GTE's joint softmax (sentence-transformers' MNRL with all four directions, partition "joint") on the Gram block of
 * the texts X = [anchors; candidates] (R is N × Cp with N = rows = columns): for pair i < `pairs`, one softmax over
 * row i (every candidate, every other anchor) and row pairs + i (every anchor, every candidate not of pair i),
 * target column pairs + i of row i. dL/dcos goes into M, α (row role) and β (column role) as in `softmaxRows`.
 */
export function softmaxGte(a: SoftmaxArgs & { pairs: number }): number {
  const { R, C, Cp, na, invP, scale, M, alpha, beta, cos, e, pairs } = a;
  const k = (a.weight * scale) / pairs;
  const rows = [0, 0],
    start = [0, 0];
  let loss = 0;
  for (let i = 0; i < pairs; i++) {
    rows[0] = i;
    rows[1] = pairs + i;
    // logits: row i's columns except i itself, then row pairs+i's columns except the candidates of pair i
    let n = 0,
      max = -Infinity;
    for (let h = 0; h < 2; h++) {
      const r = rows[h]!,
        ia = na[r]! > 1e-12 ? 1 / na[r]! : 0;
      start[h] = n;
      for (let j = 0; j < C; j++) {
        if (h === 0 ? j === i : j >= pairs && (j - pairs) % pairs === i) continue;
        const v = R[r * Cp + j]! * ia * invP[j]!;
        cos[n++] = v;
        if (v > max) max = v;
      }
    }
    const z = expSum(cos, e, n, scale, max);
    const target = pairs + i - 1; // column pairs + i of row i, one slot earlier for the skipped column i
    loss += Math.log(z) + scale * (max - cos[target]!);
    const kz = k / z;
    let t = 0;
    for (let h = 0; h < 2; h++) {
      const r = rows[h]!,
        ia = na[r]! > 1e-12 ? 1 / na[r]! : 0;
      let ar = 0;
      for (let j = 0; j < C; j++) {
        if (h === 0 ? j === i : j >= pairs && (j - pairs) % pairs === i) continue;
        const g = kz * e[t]! - (t === target ? k : 0),
          c = cos[t++]!,
          ip = invP[j]!;
        M[r * Cp + j] = M[r * Cp + j]! + g * ia * ip;
        ar += g * c;
        beta[j] = beta[j]! + g * c * ip * ip;
      }
      alpha[r] = alpha[r]! + ar * ia * ia;
    }
  }
  return loss;
}

/** e[t] = exp(scale · (cos[t] − max)) for t < n; returns their sum (the softmax's normalizer, shifted by max). */
function expSum(cos: Float64Array, e: Float64Array, n: number, scale: number, max: number): number {
  let z = 0;
  for (let t = 0; t < n; t++) {
    const x = Math.exp(scale * (cos[t]! - max));
    e[t] = x;
    z += x;
  }
  return z;
}
