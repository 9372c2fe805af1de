/**
 * Response bodies of embeddings, produced in slices, on the calling thread or a Serializer.
 * See ARCHITECTURE.md, "Server defences".
 */
import type { Lease } from './budget.js';
import { sliceBytes, type SliceJob, type SliceKind } from './write-json.js';

export type { SliceJob, SliceKind } from './write-json.js';

/** Serializes slices to UTF-8 bytes (ASCII). */
export type Serializer = (job: SliceJob) => Promise<Uint8Array>;

/** Floats per slice (≈ 175 KB of float JSON, 44 KB of base64; 32 rows of 256 dims). */
export const SLICE_FLOATS = 8192;

/** Bytes of text a float can take in JSON ("-0.0012345678918659687," is 23): the budget's estimate. */
export const BYTES_PER_FLOAT = 24;

/**
 * A JSON array of the float32 values written as doubles (what OpenAI's API does): exact, and 7× faster to
 * produce than the shortest float32 decimals the CLI writes.
 */
export function floatArray(v: Float32Array): string {
  const s = v.join(',');
  // NaN and ±Infinity are not JSON: null, as JSON.stringify writes them (loading's checks keep them out anyway)
  if (!s.includes('N') && !s.includes('I')) return `[${s}]`;
  return `[${Array.from(v, (x) => (Number.isFinite(x) ? String(x) : 'null')).join(',')}]`;
}

/** The text of one slice: the plain reference of write-json.ts's sliceBytes (the fast path every serializer uses). */
export function sliceText(job: SliceJob): string {
  const { rows, dim, first, kind } = job;
  const n = dim > 0 ? rows.length / dim : 0;
  const parts: string[] = [job.head];
  for (let i = 0; i < n; i++) {
    const v = rows.subarray(i * dim, (i + 1) * dim);
    const sep = first + i > 0 ? ',' : '';
    if (kind === 'tei') parts.push(sep + floatArray(v));
    else
      parts.push(
        `${sep}{"object":"embedding","index":${first + i},"embedding":${kind === 'openai-base64' ? `"${float32Base64(v)}"` : floatArray(v)}}`,
      );
  }
  parts.push(job.tail);
  return parts.join('');
}

/** The default Serializer: on the calling thread. */
export const localSerializer: Serializer = (job) => Promise.resolve(sliceBytes(job));

/** What an adapter reads a streamed response's body from (the Node adapter writes slices with backpressure). */
export interface BodySource {
  /** number of slices (1: the adapter can send a Content-Length) */
  readonly slices: number;
  /** the next slice, or null after the last */
  next(): Promise<Uint8Array | null>;
  /** frees what the body holds (its rows and memory budget); called at the end or when the client is gone */
  close(): void;
}

/** The rows of a response as a BodySource: slice by slice, each serialized when the adapter asks for it. */
export function rowsBody(
  kind: SliceKind,
  rows: Float32Array,
  n: number,
  dim: number,
  head: string,
  tail: string,
  serialize: Serializer,
  lease: Lease,
): BodySource {
  const perSlice = Math.max(1, Math.floor(SLICE_FLOATS / Math.max(1, dim)));
  const slices = Math.max(1, Math.ceil(n / perSlice));
  let at = 0,
    done = false,
    data: Float32Array | undefined = rows;
  return {
    slices,
    async next() {
      if (done || !data) return null;
      const end = Math.min(n, at + perSlice);
      const job: SliceJob = {
        kind,
        rows: data.subarray(at * dim, end * dim),
        dim,
        first: at,
        head: at === 0 ? head : '',
        tail: end === n ? tail : '',
      };
      at = end;
      if (end === n) done = true;
      return slices === 1 ? sliceBytes(job) : serialize(job);
    },
    close() {
      done = true;
      data = undefined;
      lease.release();
    },
  };
}

/** Budget bytes a response of `n` rows of `dim` floats holds: the rows plus two slices of text. */
export function responseBytes(n: number, dim: number, bytesPerFloat: number): number {
  return n * dim * 4 + 2 * Math.min(n * dim, SLICE_FLOATS + dim) * bytesPerFloat;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of bytes (no runtime dependency: Node, Deno, Bun and edge runtimes alike). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  const parts: string[] = [];
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
    if (out.length >= 8192) {
      parts.push(out);
      out = '';
    }
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + (i + 1 < n ? B64[(v >> 6) & 63]! : '=') + '=';
  }
  parts.push(out);
  return parts.join('');
}

/** Little-endian float32 bytes of a vector (as the OpenAI SDK decodes `encoding_format: "base64"`). */
export function float32Base64(v: Float32Array): string {
  const le = new Uint8Array(v.length * 4);
  const view = new DataView(le.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return base64(le);
}
