/** A minimal .npy reader for golden files: little-endian float32/float16/float64, C order. */
import { readFileSync } from 'node:fs';
import { halfToFloatTable } from '../../src/math/float16.js';

export interface NpyArray {
  shape: number[];
  data: Float64Array;
}

export function readNpy(path: string): NpyArray {
  const b = readFileSync(path);
  if (b.toString('latin1', 1, 6) !== 'NUMPY') throw new Error(`${path} is not a .npy file`);
  const major = b[6]!;
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = b.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1]!;
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  if (fortran) throw new Error('fortran order not supported');
  const body = b.subarray(hstart + hlen);
  const n = shape.reduce((a, x) => a * x, 1);
  const data = new Float64Array(n);
  const copy = new Uint8Array(body).buffer;
  if (descr === '<f4') data.set(new Float32Array(copy, 0, n));
  else if (descr === '<f8') data.set(new Float64Array(copy, 0, n));
  else if (descr === '<f2') {
    const h = halfToFloatTable();
    const u = new Uint16Array(copy, 0, n);
    for (let i = 0; i < n; i++) data[i] = h[u[i]!]!;
  } else throw new Error(`dtype ${descr} not supported`);
  return { shape, data };
}
