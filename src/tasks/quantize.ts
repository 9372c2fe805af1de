/**
 * Embedding quantization, byte for byte as sentence-transformers' `quantize_embeddings`.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError, describe } from '../errors.js';
import type { Matrix } from '../math/matrix.js';

export type Precision = 'float32' | 'int8' | 'uint8' | 'binary' | 'ubinary';

export interface QuantizeOptions {
  /** [2][dim]: per-dimension minimum and maximum */
  ranges?: ArrayLike<ArrayLike<number>>;
  calibrationEmbeddings?: Matrix;
}

export interface QuantizedEmbeddings {
  precision: Precision;
  rows: number;
  cols: number;
  data: Float32Array | Int8Array | Uint8Array;
}

const f = Math.fround;

export function quantizeEmbeddings(
  emb: Matrix,
  precision: Precision,
  options: QuantizeOptions = {},
): QuantizedEmbeddings {
  const { rows, cols, data } = emb;
  switch (precision) {
    case 'float32':
      return { precision, rows, cols, data: data.slice(0, rows * cols) };
    case 'int8':
    case 'uint8': {
      const [lo, hi] = quantizationRanges(emb, options);
      const steps = new Float32Array(cols);
      for (let j = 0; j < cols; j++) {
        const st = f(f(hi[j]! - lo[j]!) / 255);
        steps[j] = st === 0 ? 1 : st;
      }
      const out = precision === 'uint8' ? new Uint8Array(rows * cols) : new Int8Array(rows * cols);
      const shift = precision === 'int8' ? 128 : 0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = Math.floor(f(f(data[i * cols + j]! - lo[j]!) / steps[j]!));
          out[i * cols + j] = (v > 255 ? 255 : v < 0 || Number.isNaN(v) ? 0 : v) - shift;
        }
      }
      return { precision, rows, cols, data: out };
    }
    case 'binary':
    case 'ubinary':
      return packBits(emb, precision);
    default:
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Unknown precision ${describe(precision)}; use float32, int8, uint8, binary or ubinary.`,
      );
  }
}

/** Each dimension's [minimum, maximum]: the given ranges, or those of the calibration embeddings (default: emb). */
function quantizationRanges(emb: Matrix, options: QuantizeOptions): [Float32Array, Float32Array] {
  const cols = emb.cols;
  if (options.ranges) {
    const r = options.ranges;
    if (r.length !== 2 || r[0]!.length !== cols || r[1]!.length !== cols) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `ranges must be [2][${cols}] (minimums, maximums), got ${describe(r)}.`,
      );
    }
    return [Float32Array.from(r[0]!), Float32Array.from(r[1]!)];
  }
  const src = options.calibrationEmbeddings ?? emb;
  if (src.cols !== cols)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `calibrationEmbeddings have ${src.cols} dimensions; expected ${cols}.`,
    );
  if (src.rows === 0)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      'Cannot compute quantization ranges from zero embeddings; pass ranges or calibrationEmbeddings.',
    );
  const lo = new Float32Array(cols).fill(Infinity);
  const hi = new Float32Array(cols).fill(-Infinity);
  for (let i = 0; i < src.rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = src.data[i * cols + j]!;
      if (x < lo[j]!) lo[j] = x;
      if (x > hi[j]!) hi[j] = x;
    }
  }
  return [lo, hi];
}

/** One bit per dimension (1 when positive), packed 8 to a byte, high bit first; binary shifts the bytes by −128. */
function packBits({ rows, cols, data }: Matrix, precision: 'binary' | 'ubinary'): QuantizedEmbeddings {
  const outCols = Math.ceil(cols / 8);
  const packed = new Uint8Array(rows * outCols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      if (data[i * cols + j]! > 0) packed[i * outCols + (j >> 3)] = packed[i * outCols + (j >> 3)]! | (0x80 >> (j & 7));
    }
  }
  if (precision === 'ubinary') return { precision, rows, cols: outCols, data: packed };
  const signed = new Int8Array(packed.length);
  for (let k = 0; k < packed.length; k++) signed[k] = packed[k]! - 128;
  return { precision, rows, cols: outCols, data: signed };
}
