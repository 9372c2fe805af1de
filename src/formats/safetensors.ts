/**
 * A safetensors reader that trusts nothing: the 8-byte header length is bounded by the file, the header is
 * JSON of the documented shape, every tensor's offsets lie inside the data section, do not overlap, and hold
 * exactly shape × dtype bytes. Tensors are views into the file when aligned, copies when not.
 */
import { StaticEmbedError, describe } from '../errors.js';
import { bf16ToFloat, halfToFloatTable } from '../math/float16.js';
import type { SafetensorsDtype, SafetensorsTensorJson } from './safetensors-schema.js';

export const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1, I32: 4, I64: 8 };
const MAX_HEADER = 100 * 1024 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface Tensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** the raw little-endian bytes of the tensor */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

function bad(what: string, fix = 'The file is damaged or not a safetensors file: re-download or re-export it.'): StaticEmbedError {
  return new StaticEmbedError('INVALID_SAFETENSORS', `Invalid safetensors file: ${what}. ${fix}`);
}

export function readSafetensors(file: Uint8Array): SafetensorsFile {
  if (!(file instanceof Uint8Array)) throw new StaticEmbedError('INVALID_ARGUMENT', `readSafetensors expects a Uint8Array, got ${describe(file)}.`);
  if (file.length < 8) throw bad(`${file.length} bytes is shorter than the 8-byte header length`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > file.length - 8) throw bad(`header length ${n} exceeds the ${file.length - 8} bytes after it (truncated file?)`);
  if (n > MAX_HEADER) throw bad(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(file.subarray(8, 8 + n)));
  } catch (cause) {
    throw bad(`the header is not UTF-8 JSON (${(cause as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw bad(`the header is ${describe(header)}, expected a JSON object`);
  const dataStart = 8 + n;
  const dataLen = file.length - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('"__metadata__" must be an object of strings');
      metadata = value as Record<string, string>;
      continue;
    }
    const t = value as Partial<SafetensorsTensorJson> | null;
    if (typeof t !== 'object' || t === null) throw bad(`tensor "${name}" is ${describe(t)}, expected {dtype, shape, data_offsets}`);
    const dtype = t.dtype;
    if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) {
      throw new StaticEmbedError('INVALID_SAFETENSORS', `Tensor "${name}" has dtype ${describe(dtype)}; supported dtypes: ${Object.keys(DTYPE_BYTES).join(', ')}.`);
    }
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw bad(`tensor "${name}" has shape ${describe(shape)}, expected an array of non-negative integers`);
    }
    const offs = t.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw bad(`tensor "${name}" has data_offsets ${describe(offs)}, expected [begin, end]`);
    }
    const [begin, end] = offs;
    if (begin > end || end > dataLen) throw bad(`tensor "${name}" spans bytes [${begin}, ${end}) but the data section has ${dataLen} bytes (truncated file?)`);
    let count = 1;
    for (const d of shape) count *= d;
    const expected = count * DTYPE_BYTES[dtype];
    if (expected !== end - begin) throw bad(`tensor "${name}" has shape [${shape.join(', ')}] × ${dtype} = ${expected} bytes but ${end - begin} bytes of data`);
    spans.push([begin, end, name]);
    tensors.set(name, { name, dtype, shape: [...shape], bytes: file.subarray(dataStart + begin, dataStart + end) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) throw bad(`tensors "${spans[i - 1]![2]}" and "${spans[i]![2]}" overlap`);
  }
  return { tensors, metadata };
}

/** A typed view of a tensor's values (copied when the bytes are not aligned for the type). */
function typed<T>(t: Tensor, size: number, make: (buf: ArrayBufferLike, off: number, len: number) => T): T {
  const len = t.bytes.length / size;
  if (t.bytes.byteOffset % size === 0) return make(t.bytes.buffer, t.bytes.byteOffset, len);
  const copy = t.bytes.slice();
  return make(copy.buffer, 0, len);
}

/** Element i of any numeric tensor as a JS number (for small tensors: weights, mapping, scales). */
export function tensorToNumbers(t: Tensor): Float64Array {
  const n = t.bytes.length / DTYPE_BYTES[t.dtype];
  const out = new Float64Array(n);
  switch (t.dtype) {
    case 'F64': out.set(typed(t, 8, (b, o, l) => new Float64Array(b, o, l))); break;
    case 'F32': out.set(typed(t, 4, (b, o, l) => new Float32Array(b, o, l))); break;
    case 'I32': out.set(typed(t, 4, (b, o, l) => new Int32Array(b, o, l))); break;
    case 'I8': out.set(new Int8Array(t.bytes.buffer, t.bytes.byteOffset, n)); break;
    case 'U8': out.set(t.bytes); break;
    case 'I64': {
      const v = typed(t, 8, (b, o, l) => new BigInt64Array(b, o, l));
      for (let i = 0; i < n; i++) out[i] = Number(v[i]!);
      break;
    }
    case 'F16': {
      const h = halfToFloatTable();
      const v = typed(t, 2, (b, o, l) => new Uint16Array(b, o, l));
      for (let i = 0; i < n; i++) out[i] = h[v[i]!]!;
      break;
    }
    case 'BF16': {
      const v = typed(t, 2, (b, o, l) => new Uint16Array(b, o, l));
      for (let i = 0; i < n; i++) out[i] = bf16ToFloat(v[i]!);
      break;
    }
  }
  return out;
}

/**
 * A [rows, cols] tensor widened to float32, keeping only the first `keepCols` columns (Matryoshka truncation
 * at load: the discarded columns are never materialised). `rowScale` multiplies each row (int8 + scales).
 */
export function tableToFloat32(t: Tensor, keepCols: number, rowScale?: Float64Array): Float32Array {
  const [rows, cols] = t.shape as [number, number];
  const out = new Float32Array(rows * keepCols);
  const put = (get: (k: number) => number): void => {
    for (let r = 0, o = 0; r < rows; r++) {
      const base = r * cols;
      const s = rowScale ? rowScale[r]! : 1;
      for (let c = 0; c < keepCols; c++) out[o++] = rowScale ? get(base + c) * s : get(base + c);
    }
  };
  switch (t.dtype) {
    case 'F32': {
      const v = typed(t, 4, (b, o, l) => new Float32Array(b, o, l));
      if (keepCols === cols && !rowScale) out.set(v);
      else put((k) => v[k]!);
      break;
    }
    case 'F16': {
      const h = halfToFloatTable();
      const v = typed(t, 2, (b, o, l) => new Uint16Array(b, o, l));
      put((k) => h[v[k]!]!);
      break;
    }
    case 'BF16': {
      const v = typed(t, 2, (b, o, l) => new Uint16Array(b, o, l));
      put((k) => bf16ToFloat(v[k]!));
      break;
    }
    case 'F64': {
      const v = typed(t, 8, (b, o, l) => new Float64Array(b, o, l));
      put((k) => v[k]!);
      break;
    }
    case 'I8': {
      const v = new Int8Array(t.bytes.buffer, t.bytes.byteOffset, t.bytes.length);
      put((k) => v[k]!);
      break;
    }
    case 'U8': {
      const v = t.bytes;
      put((k) => v[k]!);
      break;
    }
    default:
      throw new StaticEmbedError('INVALID_MODEL', `An embedding table of dtype ${t.dtype} is not supported; expected F32, F16, BF16, F64, I8 or U8.`);
  }
  return out;
}
