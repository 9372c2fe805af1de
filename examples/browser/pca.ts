/** The first two principal components of a set of embeddings (power iteration with deflation), for the demo's map. */
import type { Matrix } from '../../src/browser.js';

/** 2-D coordinates (n × 2, interleaved) of the rows of `m` projected on their top two principal axes. */
export function pca2(m: Matrix, iterations = 60): Float64Array {
  const { rows: n, cols: d, data } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]! / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = data[i * d + j]! - mean[j]!;
  const axes: Float64Array[] = [];
  for (let c = 0; c < 2; c++) {
    let v = new Float64Array(d).map((_, j) => Math.sin(j * 12.9898 + c * 78.233) + 0.01);
    for (let it = 0; it < iterations; it++) {
      const xv = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += x[i * d + j]! * v[j]!;
        xv[i] = s;
      }
      const next = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        const s = xv[i]!;
        for (let j = 0; j < d; j++) next[j]! += x[i * d + j]! * s;
      }
      for (const a of axes) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += next[j]! * a[j]!;
        for (let j = 0; j < d; j++) next[j]! -= dot * a[j]!;
      }
      let norm = 0;
      for (let j = 0; j < d; j++) norm += next[j]! * next[j]!;
      norm = Math.sqrt(norm) || 1;
      v = next.map((t) => t / norm);
    }
    axes.push(v);
  }
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * axes[c]![j]!;
      out[i * 2 + c] = s;
    }
  }
  return out;
}
