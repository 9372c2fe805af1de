/** A strict .npy reader (versions 1–3; little-endian f2/f4/f8, i1/u1/i4/i8 in C order): bytes in, values out. */
import { StaticEmbedError, describe } from '../errors.js';
import { halfToFloatTable } from '../math/float16.js';

export interface NpyArray {
  shape: number[];
  /** numpy's descr, e.g. "<f4" */
  descr: string;
  /** every value, widened to float64 */
  data: Float64Array;
}

const SIZES: Record<string, number> = { '<f2': 2, '<f4': 4, '<f8': 8, '|i1': 1, '|u1': 1, '<i4': 4, '<i8': 8 };
const HEADER = /^\{\s*'descr':\s*'([^']*)',\s*'fortran_order':\s*(True|False),\s*'shape':\s*\(([^)]*)\),?\s*\}\s*$/;

function bad(file: string, what: string): StaticEmbedError {
  return new StaticEmbedError('INVALID_INPUT', `${file} is not a .npy file this reader takes: ${what}.`);
}

/** The header: descr, shape and where the data starts. */
function parseHeader(b: Uint8Array, file: string): { descr: string; shape: number[]; start: number } {
  if (b.length < 10 || String.fromCharCode(...b.subarray(0, 6)) !== '\x93NUMPY') throw bad(file, 'no NUMPY magic');
  const major = b[6]!;
  if (major < 1 || major > 3) throw bad(file, `format version ${major}`);
  const v = new DataView(b.buffer, b.byteOffset, b.length);
  const wide = major >= 2;
  if (wide && b.length < 12) throw bad(file, 'the header length is cut off');
  const len = wide ? v.getUint32(8, true) : v.getUint16(8, true);
  const start = (wide ? 12 : 10) + len;
  if (start > b.length) throw bad(file, `the header says ${len} bytes, the file ends before`);
  let text = '';
  for (let i = start - len; i < start; i++) text += String.fromCharCode(b[i]!);
  const m = HEADER.exec(text);
  if (!m) throw bad(file, `the header ${describe(text.slice(0, 120))} is not {'descr', 'fortran_order', 'shape'}`);
  const [, descr, fortran, dims] = m as unknown as [string, string, string, string];
  if (SIZES[descr] === undefined || !Object.hasOwn(SIZES, descr))
    throw bad(file, `dtype ${describe(descr)}; supported: ${Object.keys(SIZES).join(', ')}`);
  if (fortran === 'True') throw bad(file, 'Fortran order');
  const parts = dims.split(',').map((s) => s.trim());
  if (parts.at(-1) === '') parts.pop();
  if (parts.length > 8 || !parts.every((p) => /^\d{1,15}$/.test(p))) throw bad(file, `shape (${dims})`);
  return { descr, shape: parts.map(Number), start };
}

/** Reads a .npy file's bytes; `file` names it in errors (INVALID_INPUT). */
export function readNpyBytes(b: Uint8Array, file = 'the file'): NpyArray {
  const { descr, shape, start } = parseHeader(b, file);
  const n = shape.reduce((a, d) => a * d, 1);
  const size = SIZES[descr]!;
  if (n * size !== b.length - start)
    throw bad(
      file,
      `shape (${shape.join(', ')}) × ${size} bytes is ${n * size} bytes, the file holds ${b.length - start}`,
    );
  const body = new Uint8Array(b.subarray(start)); // an aligned copy (Buffer.slice would be a view)
  const data = new Float64Array(n);
  const buf = body.buffer;
  if (descr === '<f4') data.set(new Float32Array(buf, 0, n));
  else if (descr === '<f8') data.set(new Float64Array(buf, 0, n));
  else if (descr === '|i1') data.set(new Int8Array(buf, 0, n));
  else if (descr === '|u1') data.set(body);
  else if (descr === '<i4') data.set(new Int32Array(buf, 0, n));
  else if (descr === '<i8') {
    const v = new BigInt64Array(buf, 0, n);
    for (let i = 0; i < n; i++) data[i] = Number(v[i]!);
  } else {
    const h = halfToFloatTable();
    const u = new Uint16Array(buf, 0, n);
    for (let i = 0; i < n; i++) data[i] = h[u[i]!]!;
  }
  return { shape, descr, data };
}
