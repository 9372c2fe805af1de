/** The load-time checks of a table in the dtype it is kept in: finite values, and sums that cannot overflow float32. */
import { StaticEmbedError } from '../errors.js';
import { widenRange, type TableData, type TableDtype } from '../kernels/table-dtype.js';

function damaged(value: number, row: number): StaticEmbedError {
  return new StaticEmbedError(
    'INVALID_MODEL',
    `The embedding table holds a non-finite value (${value}) at row ${row}; the model is damaged.`,
  );
}

/** The first non-finite value of row r, widened (there is one: the caller found its row). */
function firstBad(data: TableData, dtype: TableDtype, dim: number, r: number, scale: number): number {
  const row = new Float32Array(dim);
  widenRange(data, dtype, scale, r * dim, dim, row, 0);
  return row.find((x) => x - x !== 0) ?? NaN;
}

/**
 * Throws INVALID_MODEL at the first row holding a value that is infinite or NaN once widened: float32 values
 * themselves, half and bfloat16 values whose exponent bits are all ones, int8 codes times a scale that overflows.
 */
function checkFinite(data: TableData, dtype: TableDtype, dim: number, scales?: Float32Array): void {
  if (dtype === 'int8') {
    const codes = data as Int8Array;
    const rows = codes.length / dim;
    for (let r = 0; r < rows; r++) {
      const s = scales ? scales[r]! : 1;
      // |code| ≤ 128: a scale whose 128-fold is finite keeps the whole row finite
      if (Math.fround(128 * s) - Math.fround(128 * s) === 0) continue;
      let max = 0;
      for (let j = r * dim; j < (r + 1) * dim; j++) max = Math.max(max, Math.abs(codes[j]!));
      const x = Math.fround(max * s);
      if (x - x !== 0) throw damaged(firstBad(data, dtype, dim, r, s), r);
    }
    return;
  }
  // the exponent bits of a half (0x7c00) or a bfloat16 (0x7f80): all ones means infinity or NaN
  const mask = dtype === 'float16' ? 0x7c00 : dtype === 'bfloat16' ? 0x7f80 : 0;
  for (let i = 0; i < data.length; i++) {
    const x = data[i]!;
    if (mask ? (x & mask) === mask : x - x !== 0)
      throw damaged(firstBad(data, dtype, dim, Math.floor(i / dim), 1), Math.floor(i / dim));
  }
}

/**
 * The largest |table value × token weight| a model may have: pooling adds at most 2^32 such float32 products per
 * text (offsets are 32-bit), and a float32 sum of N terms of size ≤ M stays ≤ 2·N·M (each rounding moves it by at
 * most the term added), so 2^-34 of float32's maximum (about 2e28) can never overflow. Real models stay below 1e3.
 */
export const MAX_POOLED_TERM = 3.4028234663852886e38 / 2 ** 34;

/** The largest |value| of the widened table, or a bound of it that is already small enough (int8, float16). */
function maxAbsOf(
  data: TableData,
  dtype: TableDtype,
  dim: number,
  scales: Float32Array | undefined,
  limit: number,
): number {
  let max = 0;
  if (dtype === 'float16') return 65504; // the largest finite half: far below any limit that matters
  if (dtype === 'int8') {
    for (let r = 0; r < data.length / dim; r++) max = Math.max(max, Math.abs(scales ? scales[r]! : 1));
    if (128 * max <= limit) return 128 * max;
    max = 0;
    for (let i = 0; i < data.length; i++)
      max = Math.max(max, Math.abs(data[i]! * (scales ? scales[Math.floor(i / dim)]! : 1)));
    return max;
  }
  const row = new Float32Array(dim);
  for (let r = 0; r < data.length / dim; r++) {
    widenRange(data, dtype, 1, r * dim, dim, row, 0);
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(row[j]!));
  }
  return max;
}

/** Finite values and finite weights, and no pooled sum that could overflow float32 (see MAX_POOLED_TERM). */
export function checkPoolable(
  data: TableData,
  dtype: TableDtype,
  dim: number,
  scales: Float32Array | undefined,
  weights: Float32Array | undefined,
): void {
  checkFinite(data, dtype, dim, scales);
  let maxWeight = 1;
  if (weights) {
    maxWeight = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w - w !== 0)
        throw new StaticEmbedError(
          'INVALID_MODEL',
          `"weights"[${i}] (the weight of token ${i}) is ${w}, not a finite number; the model is damaged.`,
        );
      if (Math.abs(w) > maxWeight) maxWeight = Math.abs(w);
    }
  }
  const maxAbs = maxAbsOf(data, dtype, dim, scales, MAX_POOLED_TERM / Math.max(maxWeight, 1e-300));
  if (maxAbs * maxWeight > MAX_POOLED_TERM)
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `The embedding table's largest |value| (${maxAbs.toPrecision(3)})` +
        (weights ? ` times the largest |weight| (${maxWeight.toPrecision(3)})` : '') +
        ` is above ${MAX_POOLED_TERM.toPrecision(3)}: pooling a long text could overflow float32. Real static ` +
        'models stay far below (|values| under 1e3); the model is damaged or not an embedding table.',
    );
}

/**
 * Whether an int8 table with these row scales (and token weights) passes checkPoolable whatever its codes: every
 * scale's 128-fold is finite and bounds the sums. Its rows can then be read after loading, on first use.
 */
export function codesNeedNoCheck(scales: Float32Array | undefined, weights: Float32Array | undefined): boolean {
  let maxScale = scales ? 0 : 1;
  if (scales)
    for (let r = 0; r < scales.length; r++) {
      const s = scales[r]!;
      if (s > maxScale) maxScale = s;
      else if (-s > maxScale) maxScale = -s;
      else if (s !== s) return false;
    }
  // fround(128 · s) is monotonic in |s|: finite for the largest, finite for all
  if (Math.fround(128 * maxScale) - Math.fround(128 * maxScale) !== 0) return false;
  let maxWeight = 1;
  if (weights) {
    maxWeight = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w - w !== 0) return false;
      if (Math.abs(w) > maxWeight) maxWeight = Math.abs(w);
    }
  }
  const bound = 128 * maxScale;
  return bound <= MAX_POOLED_TERM / Math.max(maxWeight, 1e-300) && bound * maxWeight <= MAX_POOLED_TERM;
}
