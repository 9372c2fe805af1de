/**
 * A safetensors reader that trusts nothing: header, validation, views.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { StaticEmbedError, describe } from '../errors.js';
import { bf16ToFloat, halfToFloatTable } from '../math/float16.js';
import type { SafetensorsDtype, SafetensorsTensorJson } from './safetensors-schema.js';

export const DTYPE_BYTES: Record<SafetensorsDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I8: 1,
  U8: 1,
  I32: 4,
  I64: 8,
};
const MAX_HEADER = 100 * 1024 * 1024;
/** Tensors one file may hold (a static model has one to four; the largest checkpoints a few thousand). */
export const MAX_TENSORS = 65_536;
/** Nesting of the header: {name: {shape: [...]}} is three levels. */
const MAX_HEADER_DEPTH = 8;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Random access to the bytes of a file (in memory, or on disk through runtime/node/fs.ts). */
export interface ByteSource {
  readonly size: number;
  /** `length` bytes at `offset` (a view or a fresh buffer) */
  read(offset: number, length: number): Uint8Array;
  /** fills `dest` with the bytes at `offset` (no intermediate copy) */
  readInto(offset: number, dest: Uint8Array): void;
}

export class MemoryByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}
  get size(): number {
    return this.bytes.length;
  }
  read(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }
  readInto(offset: number, dest: Uint8Array): void {
    dest.set(this.bytes.subarray(offset, offset + dest.length));
  }
}

export interface Tensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** absolute byte offset of the data in the file, and its length */
  offset: number;
  byteLength: number;
  source: ByteSource;
  /** the raw little-endian bytes (read on access: for small tensors) */
  readonly bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

function bad(
  what: string,
  fix = 'The file is damaged or not a safetensors file: re-download or re-export it.',
): StaticEmbedError {
  return new StaticEmbedError('INVALID_SAFETENSORS', `Invalid safetensors file: ${what}. ${fix}`);
}

/** `name value` for a message, or `no "name"` when the field is missing. */
const field = (name: string, v: unknown): string => (v === undefined ? `no "${name}"` : `${name} ${describe(v)}`);

/** Parses and validates a safetensors file given as bytes or as a byte source (tensor data is read lazily). */
export function readSafetensors(input: Uint8Array | ByteSource): SafetensorsFile {
  if (
    !(input instanceof Uint8Array) &&
    !(typeof input === 'object' && input !== null && typeof (input as ByteSource).read === 'function')
  ) {
    throw new StaticEmbedError('INVALID_ARGUMENT', `readSafetensors expects a Uint8Array, got ${describe(input)}.`);
  }
  const src: ByteSource = input instanceof Uint8Array ? new MemoryByteSource(input) : input;
  const { header, dataStart } = readHeader(src);
  const dataLen = src.size - dataStart;
  const tensors = new Map<string, Tensor>();
  let metadata: Record<string, string> = {};
  const spans: Array<[number, number, string]> = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(value);
      continue;
    }
    const { dtype, shape, begin, end } = checkTensor(name, value, dataLen);
    spans.push([begin, end, name]);
    tensors.set(name, tensorView(src, name, dtype, shape, dataStart + begin, end - begin));
  }
  checkOverlaps(spans);
  return { tensors, metadata };
}

/** The header's JSON object (length-checked and scanned before it is parsed) and where the data section starts. */
function readHeader(src: ByteSource): { header: Record<string, unknown>; dataStart: number } {
  const size = src.size;
  if (size < 8) throw bad(`${size} bytes is shorter than the 8-byte header length`);
  const first = src.read(0, 8);
  const n = Number(new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true));
  if (n > size - 8) throw bad(`header length ${n} exceeds the ${size - 8} bytes after it (truncated file?)`);
  if (n > MAX_HEADER) throw bad(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  scanHeader(src, n);
  let header: unknown;
  try {
    header = JSON.parse(decoder.decode(src.read(8, n)));
  } catch (cause) {
    throw bad(`the header is not UTF-8 JSON (${(cause as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    throw bad(`the header is ${describe(header)}, expected a JSON object`);
  return { header: header as Record<string, unknown>, dataStart: 8 + n };
}

function checkMetadata(value: unknown): Record<string, string> {
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    !Object.values(value).every((v) => typeof v === 'string')
  )
    throw bad('"__metadata__" must be an object of strings');
  return value as Record<string, string>;
}

/** One header entry checked: a known dtype, a shape, offsets inside the data section and a size that matches. */
function checkTensor(name: string, value: unknown, dataLen: number) {
  const t = value as Partial<SafetensorsTensorJson> | null;
  if (typeof t !== 'object' || t === null)
    throw bad(`tensor "${name}" is ${describe(t)}, expected {dtype, shape, data_offsets}`);
  const dtype = t.dtype;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw new StaticEmbedError(
      'INVALID_SAFETENSORS',
      `Tensor "${name}" has ${dtype === undefined ? 'no "dtype"' : `dtype ${describe(dtype)}`}; supported dtypes: ` +
        `${Object.keys(DTYPE_BYTES).join(', ')}.`,
    );
  }
  const shape = t.shape;
  if (!Array.isArray(shape) || shape.length > 8 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`tensor "${name}" has ${field('shape', shape)}, expected an array of non-negative integers`);
  }
  const offs = t.data_offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw bad(`tensor "${name}" has ${field('data_offsets', offs)}, expected [begin, end]`);
  }
  const [begin, end] = offs;
  if (begin > end || end > dataLen)
    throw bad(
      `tensor "${name}" spans bytes [${begin}, ${end}) but the data section has ${dataLen} bytes (truncated file?)`,
    );
  let count = 1;
  for (const d of shape) count *= d;
  const expected = count * DTYPE_BYTES[dtype];
  if (expected !== end - begin)
    throw bad(
      `tensor "${name}" has shape [${shape.join(', ')}] × ${dtype} = ${expected} bytes but ${end - begin} bytes of data`,
    );
  return { dtype, shape, begin, end };
}

/** A tensor's view on the source: its bytes are read when asked for. */
function tensorView(
  src: ByteSource,
  name: string,
  dtype: Tensor['dtype'],
  shape: number[],
  offset: number,
  byteLength: number,
): Tensor {
  return {
    name,
    dtype,
    shape: [...shape],
    offset,
    byteLength,
    source: src,
    get bytes() {
      return src.read(offset, byteLength);
    },
  };
}

function checkOverlaps(spans: Array<[number, number, string]>): void {
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) throw bad(`tensors "${spans[i - 1]![2]}" and "${spans[i]![2]}" overlap`);
  }
}

/**
 * Counts the header's top-level entries and its nesting in 1 MiB slices, before anything is decoded or parsed: a
 * header of a million tensors (or nested a thousand deep) is refused after reading a few MiB of it.
 */
function scanHeader(src: ByteSource, n: number): void {
  let depth = 0,
    entries = 0,
    inString = false,
    escaped = false;
  for (let off = 0; off < n; off += 1 << 20) {
    const b = src.read(8 + off, Math.min(1 << 20, n - off));
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
      } else if (c === 34) inString = true;
      else if (c === 123 || c === 91) {
        if (++depth > MAX_HEADER_DEPTH) throw bad(`the header nests more than ${MAX_HEADER_DEPTH} levels deep`);
      } else if (c === 125 || c === 93) depth--;
      else if (c === 58 && depth === 1 && ++entries > MAX_TENSORS + 1)
        throw bad(`the header lists more than ${MAX_TENSORS} tensors, the most a file may hold here`);
    }
  }
}

/** A typed view of little-endian bytes (copied when they are not aligned for the type). */
function typed<T>(bytes: Uint8Array, size: number, make: (buf: ArrayBufferLike, off: number, len: number) => T): T {
  const len = bytes.length / size;
  if (bytes.byteOffset % size === 0) return make(bytes.buffer, bytes.byteOffset, len);
  const copy = new Uint8Array(bytes); // a copy (a Node Buffer's slice() would be a view)
  return make(copy.buffer, 0, len);
}

/** All values of a (small) numeric tensor as float64: weights, mapping, scales. */
export function tensorToNumbers(t: Tensor): Float64Array {
  const b = t.bytes;
  const n = b.length / DTYPE_BYTES[t.dtype];
  const out = new Float64Array(n);
  switch (t.dtype) {
    case 'F64':
      out.set(typed(b, 8, (x, o, l) => new Float64Array(x, o, l)));
      break;
    case 'F32':
      out.set(typed(b, 4, (x, o, l) => new Float32Array(x, o, l)));
      break;
    case 'I32':
      out.set(typed(b, 4, (x, o, l) => new Int32Array(x, o, l)));
      break;
    case 'I8':
      out.set(new Int8Array(b.buffer, b.byteOffset, n));
      break;
    case 'U8':
      out.set(b);
      break;
    case 'I64': {
      const v = typed(b, 8, (x, o, l) => new BigInt64Array(x, o, l));
      for (let i = 0; i < n; i++) out[i] = Number(v[i]!);
      break;
    }
    case 'F16': {
      const h = halfToFloatTable();
      const v = typed(b, 2, (x, o, l) => new Uint16Array(x, o, l));
      for (let i = 0; i < n; i++) out[i] = h[v[i]!]!;
      break;
    }
    case 'BF16': {
      const v = typed(b, 2, (x, o, l) => new Uint16Array(x, o, l));
      for (let i = 0; i < n; i++) out[i] = bf16ToFloat(v[i]!);
      break;
    }
  }
  return out;
}

const TABLE_DTYPES = new Set<SafetensorsDtype>(['F32', 'F16', 'BF16', 'F64', 'I8', 'U8']);

/**
 * Converts a [rows, cols] tensor into `dest` (rows × keepCols float32): only the first `keepCols` columns are read
 * (Matryoshka truncation at load), each row times `rowScale[r]` when given (int8 + scales); read in chunks.
 */
export function tableInto(t: Tensor, keepCols: number, dest: Float32Array, rowScale?: Float64Array): void {
  const [rows, cols] = t.shape as [number, number];
  if (!TABLE_DTYPES.has(t.dtype)) {
    throw new StaticEmbedError(
      'INVALID_MODEL',
      `An embedding table of dtype ${t.dtype} is not supported; expected F32, F16, BF16, F64, I8 or U8.`,
    );
  }
  if (dest.length !== rows * keepCols)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `tableInto: destination holds ${dest.length} values, expected ${rows * keepCols}.`,
    );
  if (t.dtype === 'F32' && keepCols === cols && !rowScale) {
    t.source.readInto(t.offset, new Uint8Array(dest.buffer, dest.byteOffset, dest.byteLength));
    return;
  }
  const size = DTYPE_BYTES[t.dtype];
  const rowBytes = cols * size;
  const chunkRows = Math.max(1, Math.floor((4 << 20) / rowBytes));
  const h = t.dtype === 'F16' ? halfToFloatTable() : undefined;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const nr = Math.min(chunkRows, rows - r0);
    const b = t.source.read(t.offset + r0 * rowBytes, nr * rowBytes);
    let get: (k: number) => number;
    switch (t.dtype) {
      case 'F32': {
        const v = typed(b, 4, (x, o, l) => new Float32Array(x, o, l));
        get = (k) => v[k]!;
        break;
      }
      case 'F64': {
        const v = typed(b, 8, (x, o, l) => new Float64Array(x, o, l));
        get = (k) => v[k]!;
        break;
      }
      case 'F16': {
        const v = typed(b, 2, (x, o, l) => new Uint16Array(x, o, l));
        get = (k) => h![v[k]!]!;
        break;
      }
      case 'BF16': {
        const v = typed(b, 2, (x, o, l) => new Uint16Array(x, o, l));
        get = (k) => bf16ToFloat(v[k]!);
        break;
      }
      case 'I8': {
        const v = new Int8Array(b.buffer, b.byteOffset, b.length);
        get = (k) => v[k]!;
        break;
      }
      default: {
        const v = b;
        get = (k) => v[k]!;
        break;
      }
    }
    for (let r = 0; r < nr; r++) {
      const o = (r0 + r) * keepCols,
        base = r * cols;
      if (rowScale) {
        const s = rowScale[r0 + r]!;
        for (let c = 0; c < keepCols; c++) dest[o + c] = get(base + c) * s;
      } else {
        for (let c = 0; c < keepCols; c++) dest[o + c] = get(base + c);
      }
    }
  }
}

/**
 * Copies the raw bytes of a [rows, cols] tensor into `dest` (rows × keepCols values of the tensor's dtype), keeping
 * only the first `keepCols` columns of each row: a table kept in its stored dtype. Kept whole, it is read straight
 * into `dest`.
 */
export function rawRowsInto(t: Tensor, keepCols: number, dest: Uint8Array): void {
  const [rows] = t.shape as [number, number];
  const size = DTYPE_BYTES[t.dtype];
  if (dest.length !== rows * keepCols * size)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `rawRowsInto: destination holds ${dest.length} bytes, expected ${rows * keepCols * size}.`,
    );
  rawRowRangeInto(t, keepCols, dest, 0, rows);
}

/** Rows [r0, r1) of rawRowsInto's result, written in place in `dest` (the whole table's bytes). */
export function rawRowRangeInto(t: Tensor, keepCols: number, dest: Uint8Array, r0: number, r1: number): void {
  const cols = t.shape[1]!;
  const size = DTYPE_BYTES[t.dtype];
  const rowBytes = cols * size,
    keepBytes = keepCols * size;
  if (keepCols === cols) {
    t.source.readInto(t.offset + r0 * rowBytes, dest.subarray(r0 * rowBytes, r1 * rowBytes));
    return;
  }
  const chunkRows = Math.max(1, Math.floor((4 << 20) / rowBytes));
  for (let a = r0; a < r1; a += chunkRows) {
    const nr = Math.min(chunkRows, r1 - a);
    const b = t.source.read(t.offset + a * rowBytes, nr * rowBytes);
    for (let r = 0; r < nr; r++) dest.set(b.subarray(r * rowBytes, r * rowBytes + keepBytes), (a + r) * keepBytes);
  }
}
