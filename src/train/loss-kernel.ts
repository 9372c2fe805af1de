/** The training loss, fast: `matryoshkaMnrl` computed with three matrix products per Matryoshka chunk. */
import { StaticEmbedError } from '../errors.js';
import { GemmWorkspace } from '../kernels/gemm.js';
import { softmaxCols, softmaxGte } from '../kernels/softmax-rows.js';
import type { IdBatch, LossConfig } from './loss.js';

/** Gradient rows: `values` holds rows.length × dim floats, row k's gradient at k·dim. */
export interface SparseGrad {
  rows: Uint32Array;
  values: Float32Array;
}

export interface KernelLossResult {
  loss: number;
  grads: SparseGrad;
}

const up = (n: number, m: number) => Math.ceil(n / m) * m;

export class MnrlKernel {
  private readonly ws: GemmWorkspace;
  /** slot of each table row in the gradient arrays during a step (stamp-checked, never cleared) */
  private slot: Int32Array;
  private stamp: Uint32Array;
  private gen = 0;

  /** `kernel`: 'auto' (SIMD when available), 'js' (plain loops), or a workspace (e.g. ThreadedGemmWorkspace). */
  constructor(
    private readonly vocabSize: number,
    private readonly dim: number,
    kernel: 'auto' | 'js' | GemmWorkspace = 'auto',
  ) {
    this.ws = kernel instanceof GemmWorkspace ? kernel : new GemmWorkspace(kernel);
    this.slot = new Int32Array(vocabSize);
    this.stamp = new Uint32Array(vocabSize);
  }

  get kernel(): 'wasm-simd' | 'js' {
    return this.ws.kernel;
  }

  get threads(): number {
    return this.ws.threads;
  }

  /**
   * Loss and sparse gradient of one batch, `table` being vocabSize × dim. The derivation (an exception to short
   * comments, listed in ARCHITECTURE.md, "Code shape"): the same definitions as `matryoshkaMnrl` (loss.ts, the plain
   * reference it is tested against), computed with three matrix products per Matryoshka chunk instead of one pass
   * per dimension:
   * - the columns are cut into chunks at the Matryoshka dims (e.g. [0,32) [32,64) [64,128) [128,256)); the raw
   *   dot products of every anchor with every candidate are summed chunk by chunk, so the prefix-d dot products
   *   (and squared norms) of every dim come from one pass over the columns;
   * - for dim d, S = scale · dot_d / (‖a_d‖ ‖c_d‖), the loss is the mean cross-entropy of each anchor's row, and
   *   dL/dS gives the gradient of the unnormalized prefixes: for anchor i, Σ_j H_ij c_j − α_i a_i with
   *   H_ij = G_ij / (‖a_i‖ ‖c_j‖), α_i = Σ_j G_ij cos_ij / ‖a_i‖² (G = dL/dcos), and symmetrically for candidates;
   * - a chunk belongs to every dim at or beyond its end, so its gradient uses the sum of those dims' H (and α, β):
   *   accumulated from the largest dim down, two products per chunk (H · C and Hᵀ · A).
   *
   * With `symmetric`, the backward term (each positive against the anchors) is a column softmax of the same block
   * (`softmaxCols`), folded into the same M, α and β, both terms at half weight.
   *
   * The products run in float32 (the SIMD kernel); softmax and the loss in float64. Gradients come back as a
   * sparse set of table rows (those of the batch's tokens), in flat arrays reused across steps.
   */
  // eslint-disable-next-line max-lines-per-function -- the fused loss kernel reads better whole (ARCHITECTURE.md, "Code shape")
  step(table: Float32Array, batch: IdBatch, config: LossConfig): KernelLossResult {
    const D = this.dim,
      scale = config.scale ?? 20,
      half = config.symmetric ? 0.5 : 1;
    const entries = config.dims.map((d, k) => ({ d, w: config.weights?.[k] ?? 1 }));
    if (config.weights && config.weights.length !== config.dims.length)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `${config.dims.length} Matryoshka dims but ${config.weights.length} weights.`,
      );
    for (const { d } of entries)
      if (!Number.isInteger(d) || d < 1 || d > D)
        throw new StaticEmbedError('INVALID_ARGUMENT', `Matryoshka dim ${d} must be between 1 and the model's ${D}.`);
    const pairs = batch.anchors.length;
    if (pairs === 0) throw new StaticEmbedError('INVALID_ARGUMENT', 'A training batch needs at least one pair.');
    if (batch.positives.length !== pairs || (batch.negatives && batch.negatives.length !== pairs))
      throw new StaticEmbedError('INVALID_ARGUMENT', 'anchors, positives and negatives must have the same length.');
    if (config.gte && config.symmetric)
      throw new StaticEmbedError('INVALID_ARGUMENT', 'The GTE loss already holds both directions: drop symmetric.');
    const docs = batch.negatives ? [...batch.positives, ...batch.negatives] : batch.positives;
    // GTE: rows and columns are all the batch's texts (the Gram block); otherwise anchors × candidates
    const anchors = config.gte ? [...batch.anchors, ...docs] : batch.anchors,
      cands = config.gte ? anchors : docs;
    const B = anchors.length,
      C = cands.length,
      pad = this.ws.padding,
      Bp = up(B, pad),
      Cp = up(C, pad);
    const ws = this.ws;
    const A = ws.f32('A', B * D),
      P = ws.f32('P', C * D);
    this.poolInto(table, anchors, A);
    if (config.gte)
      P.set(A); // the same texts on both sides
    else this.poolInto(table, cands, P);
    const bounds = [...new Set(entries.map((e) => e.d))].sort((a, b) => a - b);
    const nc = bounds.length;
    // per chunk: cumulative raw dots R_c (Bp × Cp) and cumulative squared norms
    const R: Float32Array[] = [],
      nA: Float64Array[] = [],
      nP: Float64Array[] = [];
    let prevA = new Float64Array(B),
      prevP = new Float64Array(C);
    for (let c = 0; c < nc; c++) {
      const k0 = c === 0 ? 0 : bounds[c - 1]!,
        k1 = bounds[c]!,
        wp = up(k1 - k0, pad);
      const Ac = this.chunk('Ac', A, B, Bp, k0, k1, wp),
        Pc = this.chunk('Pc', P, C, Cp, k0, k1, wp);
      const Rc = ws.f32(`R${c}`, Bp * Cp);
      ws.gemmNT(Ac, Pc, Bp, Cp, wp, Rc);
      if (c > 0) {
        const r0 = R[c - 1]!;
        for (let t = 0; t < Rc.length; t++) Rc[t] = Rc[t]! + r0[t]!;
      }
      R.push(Rc);
      const sa = Float64Array.from(prevA),
        sp = Float64Array.from(prevP);
      for (let i = 0; i < B; i++) for (let k = k0; k < k1; k++) sa[i] = sa[i]! + A[i * D + k]! ** 2;
      for (let j = 0; j < C; j++) for (let k = k0; k < k1; k++) sp[j] = sp[j]! + P[j * D + k]! ** 2;
      prevA = sa;
      prevP = sp;
      const na = ws.f64(`nA${c}`, B),
        np = ws.f64(`nP${c}`, C);
      for (let i = 0; i < B; i++) na[i] = Math.max(Math.sqrt(sa[i]!), 1e-12);
      for (let j = 0; j < C; j++) np[j] = Math.max(Math.sqrt(sp[j]!), 1e-12);
      nA.push(na);
      nP.push(np);
    }
    // from the largest dim down: accumulate H, α, β; each chunk's gradient uses the sums of the dims containing it
    const M = ws.f32('M', Bp * Cp),
      MT = ws.f32('MT', Cp * Bp);
    const alpha = ws.f64('alpha', B),
      beta = new Float64Array(C);
    const gA = new Float32Array(B * D),
      gP = new Float32Array(C * D);
    let total = 0;
    for (let c = nc - 1; c >= 0; c--) {
      const Rc = R[c]!;
      for (const { d, w } of entries) {
        if (d !== bounds[c]) continue;
        const np = nP[c]!,
          invP = ws.f64('invP', C);
        for (let j = 0; j < C; j++) invP[j] = np[j]! > 1e-12 ? 1 / np[j]! : 0;
        const args = { R: Rc, B, C, Cp, na: nA[c]!, invP, weight: half * w, scale, M, alpha, beta };
        if (config.gte) {
          const scratch = { cos: ws.f64('cosG', 2 * C), e: ws.f64('eG', 2 * C) };
          total += (w * softmaxGte({ ...args, ...scratch, pairs })) / pairs;
          continue;
        }
        total += (half * w * ws.softmax(args)) / B;
        if (config.symmetric)
          total += (half * w * softmaxCols({ ...args, cos: ws.f64('cosT', B), e: ws.f64('eT', B) })) / B;
      }
      const k0 = c === 0 ? 0 : bounds[c - 1]!,
        k1 = bounds[c]!,
        wp = up(k1 - k0, pad);
      // gA[:, chunk] = M · P[:, chunk] − α a;  gP[:, chunk] = Mᵀ · A[:, chunk] − β c
      const PcT = this.chunkT('PcT', P, C, Cp, k0, k1, wp),
        AcT = this.chunkT('AcT', A, B, Bp, k0, k1, wp);
      transpose(M, Bp, Cp, MT);
      const gAc = ws.f32('gAc', Bp * wp),
        gPc = ws.f32('gPc', Cp * wp);
      ws.gemmNT(M, PcT, Bp, wp, Cp, gAc);
      ws.gemmNT(MT, AcT, Cp, wp, Bp, gPc);
      for (let i = 0; i < B; i++)
        for (let k = k0; k < k1; k++) gA[i * D + k] = gAc[i * wp + k - k0]! - alpha[i]! * A[i * D + k]!;
      for (let j = 0; j < C; j++)
        for (let k = k0; k < k1; k++) gP[j * D + k] = gPc[j * wp + k - k0]! - beta[j]! * P[j * D + k]!;
    }
    if (config.gte) {
      // one text, two roles: its gradient is the sum of both
      for (let t = 0; t < gA.length; t++) gA[t] = gA[t]! + gP[t]!;
      return { loss: total, grads: this.scatter([anchors], [gA]) };
    }
    return { loss: total, grads: this.scatter([anchors, cands], [gA, gP]) };
  }

  /** Mean of each bag's table rows into `out` (bags × D). */
  private poolInto(table: Float32Array, bags: Uint32Array[], out: Float32Array): void {
    const D = this.dim;
    bags.forEach((bag, i) => {
      if (bag.length === 0) return;
      const o = i * D;
      for (const id of bag) {
        if (id >= this.vocabSize)
          throw new StaticEmbedError(
            'INVALID_ARGUMENT',
            `Token id ${id} is outside the table's ${this.vocabSize} rows.`,
          );
        const r = id * D;
        for (let k = 0; k < D; k++) out[o + k] = out[o + k]! + table[r + k]!;
      }
      const inv = 1 / bag.length;
      for (let k = 0; k < D; k++) out[o + k] = out[o + k]! * inv;
    });
  }

  /** Columns [k0, k1) of the n × D matrix X as an np × wp row-major block (zero padding). */
  private chunk(
    name: string,
    X: Float32Array,
    n: number,
    np: number,
    k0: number,
    k1: number,
    wp: number,
  ): Float32Array {
    const out = this.ws.f32(name, np * wp),
      D = this.dim;
    for (let i = 0; i < n; i++) for (let k = k0; k < k1; k++) out[i * wp + k - k0] = X[i * D + k]!;
    return out;
  }

  /** The transpose of `chunk`: wp × np. */
  private chunkT(
    name: string,
    X: Float32Array,
    n: number,
    np: number,
    k0: number,
    k1: number,
    wp: number,
  ): Float32Array {
    const out = this.ws.f32(name, wp * np),
      D = this.dim;
    for (let i = 0; i < n; i++) for (let k = k0; k < k1; k++) out[(k - k0) * np + i] = X[i * D + k]!;
    return out;
  }

  /** Through mean pooling into the rows of each text's tokens. */
  private scatter(bagSets: Uint32Array[][], grads: Float32Array[]): SparseGrad {
    const D = this.dim;
    const gen = ++this.gen;
    if (gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
    let tokens = 0;
    for (const bags of bagSets) for (const b of bags) tokens += b.length;
    const rows = new Uint32Array(tokens);
    let n = 0;
    for (const bags of bagSets)
      for (const b of bags)
        for (const id of b)
          if (this.stamp[id] !== this.gen) {
            this.stamp[id] = this.gen;
            this.slot[id] = n;
            rows[n++] = id;
          }
    const values = new Float32Array(n * D);
    bagSets.forEach((bags, s) => {
      const g = grads[s]!;
      bags.forEach((bag, i) => {
        if (bag.length === 0) return;
        const inv = 1 / bag.length,
          go = i * D;
        for (const id of bag) {
          const o = this.slot[id]! * D;
          for (let k = 0; k < D; k++) values[o + k] = values[o + k]! + g[go + k]! * inv;
        }
      });
    });
    return { rows: rows.subarray(0, n), values };
  }
}

/** out = Xᵀ (X: rows × cols, row-major), in 32 × 32 tiles. */
function transpose(X: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += 32) {
    const i1 = Math.min(rows, i0 + 32);
    for (let j0 = 0; j0 < cols; j0 += 32) {
      const j1 = Math.min(cols, j0 + 32);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = X[i * cols + j]!;
    }
  }
}

/** A gradient map (as `matryoshkaMnrl` returns) as a SparseGrad with rows in ascending order. */
export function sparseFromMap(grads: Map<number, Float64Array>, dim: number): SparseGrad {
  const rows = Uint32Array.from([...grads.keys()].sort((a, b) => a - b));
  const values = new Float32Array(rows.length * dim);
  rows.forEach((r, k) => values.set(grads.get(r)!, k * dim));
  return { rows, values };
}
