/**
 * Multinomial logistic regression on embeddings, as scikit-learn's LogisticRegression (lbfgs, L2, C).
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError, describe } from '../errors.js';
import { Matrix } from '../math/matrix.js';

export interface LogisticOptions {
  /** inverse regularisation strength (default 1, as scikit-learn) */
  C?: number;
  maxIter?: number;
  tol?: number;
}

export interface LogisticJson {
  type: 'static-embed/logistic-regression';
  version: 1;
  classes: string[];
  dim: number;
  C: number;
  /** classes × dim */
  weights: number[][];
  bias: number[];
  /** anything the writer wants to remember (the model used, its options) */
  meta?: Record<string, unknown>;
}

export class LogisticRegression {
  private constructor(
    readonly classes: string[],
    readonly dim: number,
    readonly C: number,
    private readonly W: Float64Array,
    private readonly b: Float64Array,
    readonly meta: Record<string, unknown> = {},
  ) {}

  static fit(embeddings: Matrix, labels: readonly string[], options: LogisticOptions = {}): LogisticRegression {
    if (labels.length !== embeddings.rows)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `${embeddings.rows} embeddings but ${labels.length} labels; give one label per row.`,
      );
    const C = options.C ?? 1;
    if (!(C > 0)) throw new StaticEmbedError('INVALID_ARGUMENT', `C must be > 0, got ${describe(options.C)}.`);
    const classes = [...new Set(labels)].sort();
    if (classes.length < 2)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `Training needs at least two classes; the labels hold only ${JSON.stringify(classes)}.`,
      );
    const K = classes.length,
      d = embeddings.cols,
      n = embeddings.rows;
    const y = Int32Array.from(labels, (l) => classes.indexOf(l));
    const P = K * (d + 1); // weights then biases
    const theta = new Float64Array(P);
    const probs = new Float64Array(K);
    // C · Σ −log softmax(W x + b)[y] + ½‖W‖², and its gradient
    const objective = (t: Float64Array, g: Float64Array): number => {
      g.fill(0);
      let loss = 0;
      for (let i = 0; i < n; i++) {
        const o = i * d;
        let max = -Infinity;
        for (let k = 0; k < K; k++) {
          let z = t[K * d + k]!;
          for (let j = 0; j < d; j++) z += t[k * d + j]! * embeddings.data[o + j]!;
          probs[k] = z;
          if (z > max) max = z;
        }
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(probs[k]! - max);
        loss += Math.log(sum) + max - probs[y[i]!]!;
        for (let k = 0; k < K; k++) {
          const r = C * (Math.exp(probs[k]! - max) / sum - (k === y[i] ? 1 : 0));
          g[K * d + k] = g[K * d + k]! + r;
          for (let j = 0; j < d; j++) g[k * d + j] = g[k * d + j]! + r * embeddings.data[o + j]!;
        }
      }
      let reg = 0;
      for (let p = 0; p < K * d; p++) {
        reg += t[p]! * t[p]!;
        g[p] = g[p]! + t[p]!;
      }
      return C * loss + 0.5 * reg;
    };
    lbfgs(theta, objective, options.maxIter ?? 1000, options.tol ?? 1e-7);
    return new LogisticRegression(classes, d, C, theta.slice(0, K * d), theta.slice(K * d));
  }

  predictProba(embeddings: Matrix): Matrix {
    if (embeddings.cols !== this.dim)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `The classifier was trained on ${this.dim}-dimensional embeddings; got ${embeddings.cols}. Use the same model and --dim as for training.`,
      );
    const K = this.classes.length,
      d = this.dim;
    const out = new Matrix(embeddings.rows, K);
    for (let i = 0; i < embeddings.rows; i++) {
      let max = -Infinity;
      const z = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        let s = this.b[k]!;
        for (let j = 0; j < d; j++) s += this.W[k * d + j]! * embeddings.data[i * d + j]!;
        z[k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) {
        z[k] = Math.exp(z[k]! - max);
        sum += z[k]!;
      }
      for (let k = 0; k < K; k++) out.data[i * K + k] = z[k]! / sum;
    }
    return out;
  }

  predict(embeddings: Matrix): string[] {
    const p = this.predictProba(embeddings);
    const K = this.classes.length;
    return Array.from({ length: embeddings.rows }, (_, i) => {
      let best = 0;
      for (let k = 1; k < K; k++) if (p.data[i * K + k]! > p.data[i * K + best]!) best = k;
      return this.classes[best]!;
    });
  }

  toJSON(meta: Record<string, unknown> = this.meta): LogisticJson {
    const d = this.dim;
    return {
      type: 'static-embed/logistic-regression',
      version: 1,
      classes: this.classes,
      dim: d,
      C: this.C,
      weights: this.classes.map((_, k) => Array.from(this.W.subarray(k * d, (k + 1) * d))),
      bias: Array.from(this.b),
      meta,
    };
  }

  static fromJSON(json: unknown, where = 'the classifier'): LogisticRegression {
    const j = json as Partial<LogisticJson> | null;
    const bad = (what: string) =>
      new StaticEmbedError('INVALID_INPUT', `${where} is not a static-embed classifier: ${what}.`);
    if (!j || j.type !== 'static-embed/logistic-regression')
      throw bad(`"type" is ${describe(j?.type)}, expected "static-embed/logistic-regression"`);
    if (!Array.isArray(j.classes) || !Number.isInteger(j.dim) || !Array.isArray(j.weights) || !Array.isArray(j.bias))
      throw bad('classes, dim, weights or bias missing');
    const d = j.dim!,
      K = j.classes.length;
    if (j.weights.length !== K || j.bias.length !== K || !j.weights.every((r) => Array.isArray(r) && r.length === d))
      throw bad(`weights must be ${K} × ${d} and bias ${K} long`);
    return new LogisticRegression(
      j.classes.map(String),
      d,
      j.C ?? 1,
      Float64Array.from(j.weights.flat()),
      Float64Array.from(j.bias),
      j.meta ?? {},
    );
  }
}

/** Limited-memory BFGS with a backtracking (Armijo) line search; minimises f in place. */
export function lbfgs(
  x: Float64Array,
  f: (x: Float64Array, g: Float64Array) => number,
  maxIter: number,
  tol: number,
  m = 10,
): number {
  const n = x.length;
  const g = new Float64Array(n),
    gNew = new Float64Array(n),
    xNew = new Float64Array(n),
    dir = new Float64Array(n);
  const h: History = { S: [], Y: [], rho: [], alpha: new Float64Array(m) };
  let fx = f(x, g);
  for (let it = 0; it < maxIter; it++) {
    let gnorm = 0;
    for (let i = 0; i < n; i++) gnorm = Math.max(gnorm, Math.abs(g[i]!));
    if (gnorm <= tol * Math.max(1, Math.abs(fx))) break;
    const slope = searchDirection(g, h, dir);
    let step = 1,
      fNew = 0;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * dir[i]!;
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < fx) && step < 1e-12) break;
    remember(h, x, xNew, g, gNew, m);
    const converged = Math.abs(fx - fNew) <= 1e-12 * Math.max(1, Math.abs(fx));
    x.set(xNew);
    g.set(gNew);
    fx = fNew;
    if (converged) break;
  }
  return fx;
}

/** L-BFGS's last m steps s, gradient changes y and 1/(s·y); alpha is the two-loop recursion's scratch. */
interface History {
  S: Float64Array[];
  Y: Float64Array[];
  rho: number[];
  alpha: Float64Array;
}

/** The two-loop recursion: dir = −H·g; steepest descent (and a fresh history) when that is not a descent direction. */
function searchDirection(g: Float64Array, { S, Y, rho, alpha }: History, dir: Float64Array): number {
  const n = g.length;
  for (let i = 0; i < n; i++) dir[i] = -g[i]!;
  for (let k = S.length - 1; k >= 0; k--) {
    let a = 0;
    for (let i = 0; i < n; i++) a += S[k]![i]! * dir[i]!;
    a *= rho[k]!;
    alpha[k] = a;
    for (let i = 0; i < n; i++) dir[i] = dir[i]! - a * Y[k]![i]!;
  }
  if (S.length > 0) {
    const k = S.length - 1;
    let sy = 0,
      yy = 0;
    for (let i = 0; i < n; i++) {
      sy += S[k]![i]! * Y[k]![i]!;
      yy += Y[k]![i]! * Y[k]![i]!;
    }
    const gamma = sy / yy;
    for (let i = 0; i < n; i++) dir[i] = dir[i]! * gamma;
  } else {
    let norm = 0;
    for (let i = 0; i < n; i++) norm += g[i]! * g[i]!;
    const s = 1 / Math.max(1, Math.sqrt(norm));
    for (let i = 0; i < n; i++) dir[i] = dir[i]! * s;
  }
  for (let k = 0; k < S.length; k++) {
    let b = 0;
    for (let i = 0; i < n; i++) b += Y[k]![i]! * dir[i]!;
    b *= rho[k]!;
    for (let i = 0; i < n; i++) dir[i] = dir[i]! + S[k]![i]! * (alpha[k]! - b);
  }
  let slope = 0;
  for (let i = 0; i < n; i++) slope += g[i]! * dir[i]!;
  if (slope >= 0) {
    for (let i = 0; i < n; i++) dir[i] = -g[i]!;
    slope = 0;
    for (let i = 0; i < n; i++) slope -= g[i]! * g[i]!;
    S.length = 0;
    Y.length = 0;
    rho.length = 0;
  }
  return slope;
}

/** Adds the step x → xNew to the history when its curvature s·y is positive, keeping the last m. */
function remember(h: History, x: Float64Array, xNew: Float64Array, g: Float64Array, gNew: Float64Array, m: number) {
  const n = x.length;
  const s = new Float64Array(n),
    yv = new Float64Array(n);
  let sy = 0;
  for (let i = 0; i < n; i++) {
    s[i] = xNew[i]! - x[i]!;
    yv[i] = gNew[i]! - g[i]!;
    sy += s[i]! * yv[i]!;
  }
  if (sy > 1e-12) {
    h.S.push(s);
    h.Y.push(yv);
    h.rho.push(1 / sy);
    if (h.S.length > m) {
      h.S.shift();
      h.Y.shift();
      h.rho.shift();
    }
  }
}
