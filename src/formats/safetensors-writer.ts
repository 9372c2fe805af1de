/** Writes safetensors files: 8-byte header length, JSON header (8-byte aligned), tensors in order. */
import { StaticEmbedError } from '../errors.js';
import type { SafetensorsDtype } from './safetensors-schema.js';
import { DTYPE_BYTES } from './safetensors.js';

export interface TensorToWrite {
  dtype: SafetensorsDtype;
  shape: number[];
  /** little-endian bytes */
  bytes: Uint8Array;
}

const encoder = new TextEncoder();

export function writeSafetensors(
  tensors: Record<string, TensorToWrite>,
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    const expected = t.shape.reduce((a, d) => a * d, 1) * DTYPE_BYTES[t.dtype];
    if (expected !== t.bytes.length)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Tensor "${name}": shape [${t.shape.join(', ')}] × ${t.dtype} needs ${expected} bytes, got ${t.bytes.length}.`,
      );
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += ' ';
  const h = encoder.encode(json);
  const out = new Uint8Array(8 + h.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  let at = 8 + h.length;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

export function f32Bytes(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}
