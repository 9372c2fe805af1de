/** The dtypes a table is kept in memory in, and their widening to float32 (exactly as the safetensors loader does). */
import { bf16ToFloat, halfToFloatTable } from '../math/float16.js';

/** int8 (with optional per-row scales), float16 and bfloat16 tables stay as stored; others are widened to float32. */
export type TableDtype = 'float32' | 'int8' | 'float16' | 'bfloat16';

/** A table's values as stored: float32, int8 codes, or half / bfloat16 bits. */
export type TableData = Float32Array | Int8Array | Uint16Array;

/** Bytes per value of each dtype. */
export const TABLE_DTYPE_BYTES: Record<TableDtype, number> = { float32: 4, int8: 1, float16: 2, bfloat16: 2 };

/** The kernel's code for a stored dtype (pool_q's `kind`). */
export const STORED_KIND: Record<Exclude<TableDtype, 'float32'>, number> = { int8: 1, float16: 2, bfloat16: 3 };

/**
 * Values [from, from + n) of a stored table widened into dest[at …]: int8 code × its row's scale rounded once to
 * float32 (exact in double, so this is the float32 product), half and bfloat16 bits converted exactly.
 */
export function widenRange(
  data: TableData,
  dtype: TableDtype,
  scale: number,
  from: number,
  n: number,
  dest: Float32Array,
  at: number,
): void {
  if (dtype === 'int8') {
    for (let j = 0; j < n; j++) dest[at + j] = data[from + j]! * scale;
  } else if (dtype === 'float16') {
    const h = halfToFloatTable();
    for (let j = 0; j < n; j++) dest[at + j] = h[data[from + j]!]!;
  } else if (dtype === 'bfloat16') {
    for (let j = 0; j < n; j++) dest[at + j] = bf16ToFloat(data[from + j]!);
  } else {
    dest.set((data as Float32Array).subarray(from, from + n), at);
  }
}

/** The whole table (rows × dim) as a new float32 array: what the loader would have made of the stored file. */
export function widenTable(
  data: TableData,
  dtype: TableDtype,
  dim: number,
  scales: Float32Array | undefined,
  dest = new Float32Array(data.length),
): Float32Array {
  const rows = data.length / dim;
  for (let r = 0; r < rows; r++) widenRange(data, dtype, scales ? scales[r]! : 1, r * dim, dim, dest, r * dim);
  return dest;
}
