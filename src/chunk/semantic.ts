/** Where meaning changes: the similarity of the text before and after each sentence boundary, and the breaks. */

/**
 * For each boundary between sentences i − 1 and i (i = 1 … n − 1), the cosine similarity of the `window` sentences
 * before and after it, read off prefix sums of `sums` (each sentence's sum of token vectors, n × dim).
 */
export function boundarySimilarities(sums: Float32Array, n: number, dim: number, window: number): Float64Array {
  const prefix = new Float64Array((n + 1) * dim);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < dim; j++) prefix[(i + 1) * dim + j] = prefix[i * dim + j]! + sums[i * dim + j]!;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    const a = Math.max(0, i - window) * dim,
      m = i * dim,
      b = Math.min(n, i + window) * dim;
    let dot = 0,
      nl = 0,
      nr = 0;
    for (let j = 0; j < dim; j++) {
      const l = prefix[m + j]! - prefix[a + j]!,
        r = prefix[b + j]! - prefix[m + j]!;
      dot += l * r;
      nl += l * l;
      nr += r * r;
    }
    out[i - 1] = nl > 0 && nr > 0 ? dot / Math.sqrt(nl * nr) : 1;
  }
  return out;
}

/** The p-th percentile (0–100) of values, linearly interpolated (numpy's default). */
export function percentile(values: ArrayLike<number>, p: number): number {
  const v = Float64Array.from(values).sort();
  if (v.length === 0) return NaN;
  const x = (p / 100) * (v.length - 1);
  const lo = Math.floor(x),
    hi = Math.min(v.length - 1, lo + 1);
  return v[lo]! + (v[hi]! - v[lo]!) * (x - lo);
}

export interface BreakRule {
  /** break where the similarity is below this */
  threshold?: number | undefined;
  /** break where the dissimilarity (1 − similarity) is above this percentile of the document's boundaries */
  percentile?: number | undefined;
}

/**
 * Boundaries to break at (indices into `sims`): local minima of the similarity that pass the rule — below
 * `threshold`, or more dissimilar than the `percentile`-th percentile of all boundaries of the document.
 */
export function selectBreaks(sims: Float64Array, rule: BreakRule): number[] {
  const n = sims.length;
  if (n === 0) return [];
  const cut =
    rule.threshold !== undefined
      ? rule.threshold
      : 1 -
        percentile(
          Array.from(sims, (s) => 1 - s),
          rule.percentile!,
        );
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = sims[i]!;
    const minimum = (i === 0 || s <= sims[i - 1]!) && (i === n - 1 || s <= sims[i + 1]!);
    if (minimum && s < cut) out.push(i);
  }
  return out;
}

/**
 * Sentence groups [first, last) from the breaks, each group over `maxTokens` split again at its least similar
 * boundary until every group fits or is one sentence.
 */
export function groupsWithin(
  breaks: number[],
  sims: Float64Array,
  counts: ArrayLike<number>,
  maxTokens: number,
): Array<[number, number]> {
  const n = counts.length;
  const out: Array<[number, number]> = [];
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + counts[i]!;
  const place = (a: number, b: number): void => {
    if (prefix[b]! - prefix[a]! <= maxTokens || b - a === 1) {
      out.push([a, b]);
      return;
    }
    let best = a + 1;
    for (let i = a + 1; i < b; i++) if (sims[i - 1]! < sims[best - 1]!) best = i;
    place(a, best);
    place(best, b);
  };
  let start = 0;
  for (const g of breaks) {
    place(start, g + 1);
    start = g + 1;
  }
  if (start < n) place(start, n);
  return out;
}
