/** The load-time check that every value of a table, in the dtype it is kept in, widens to a finite float32. */
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
export function checkFinite(data: TableData, dtype: TableDtype, dim: number, scales?: Float32Array): void {
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
