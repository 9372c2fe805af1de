/** Streaming .npy output (float32, C order, [rows, dim]). See ARCHITECTURE.md, "CLI rules". */
import { StaticEmbedError } from '../../errors.js';

const HEADER_BYTES = 128;

export function npyHeader(rows: number, dim: number): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${dim}), }`;
  const total = HEADER_BYTES;
  const pad = total - 10 - dict.length - 1;
  if (pad < 0) throw new StaticEmbedError('INVALID_ARGUMENT', `npy header too long for shape (${rows}, ${dim}).`);
  const header = new Uint8Array(total);
  header.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  header[8] = (total - 10) & 0xff;
  header[9] = (total - 10) >> 8;
  const text = dict + ' '.repeat(pad) + '\n';
  for (let i = 0; i < text.length; i++) header[10 + i] = text.charCodeAt(i);
  return header;
}

/** Little-endian float32 bytes of a Float32Array slice (a view: the platform is little-endian). */
export function float32Bytes(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
