/**
 * The fast path of response serialization: a slice of embeddings written straight into bytes.
 * See ARCHITECTURE.md, "Server defences".
 */
/** rows → text: OpenAI's embedding objects (float or base64), or TEI's plain arrays */
export type SliceKind = 'openai-float' | 'openai-base64' | 'tei';

/** One slice to serialize: rows `first`…, `dim` floats each, with the text that goes before and after them. */
export interface SliceJob {
  kind: SliceKind;
  rows: Float32Array;
  dim: number;
  /** index of the first row in the whole response (OpenAI's `index`; a comma goes before it when > 0) */
  first: number;
  head: string;
  tail: string;
}

/** 10^p (exact for p ≤ 22) split as hi + lo, each of ≤ 29 significant bits: a float32 (24 bits) times either is exact. */
const P_HI: number[] = [];
const P_LO: number[] = [];
for (let p = 0; p <= 22; p++) {
  const P = 10 ** p;
  const s = 2 ** Math.max(0, Math.floor(Math.log2(P)) - 28);
  P_HI.push(Math.floor(P / s) * s);
  P_LO.push(P - P_HI[p]!);
}

const digits = new Uint8Array(17);
/** 10^-1 … 10^-6 and 10^0 … 10^7 (as doubles: near enough for a first guess of the exponent) */
const TENTHS = [0.1, 0.01, 0.001, 1e-4, 1e-5, 1e-6];
const TENS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7];

function writeAscii(out: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[at++] = s.charCodeAt(i);
  return at;
}

/**
 * Writes `v` (a float32 value) as a decimal that reads back as the same number; returns the new offset. Values in
 * [1e-6, 1e7) take the fast path; others by JavaScript's number-to-string; NaN and ±Infinity as null.
 */
export function writeFloat(out: Uint8Array, at: number, v: number): number {
  if (v === 0) {
    out[at] = 48;
    return at + 1;
  }
  // JSON has no NaN or Infinity (loading's value checks keep them out of embeddings): null, as JSON.stringify writes
  if (!Number.isFinite(v)) return writeAscii(out, at, 'null');
  let d = v;
  if (d < 0) {
    out[at++] = 45;
    d = -d;
  }
  if (!(d >= 1e-6 && d < 1e7)) return writeAscii(out, at, String(d));
  // the decimal exponent, by comparison (typical embedding values take one to three); corrected below if off by one
  let e10 = -1;
  if (d < 0.1) while (e10 > -6 && d < TENTHS[-e10 - 1]!) e10--;
  else if (d >= 1) while (e10 < 6 && d >= TENS[e10 + 1]!) e10++;
  let high = 0,
    low = 0;
  for (;;) {
    const p = 16 - e10;
    if (p < 10 || p > 22) return writeAscii(out, at, String(d));
    // N = round(d · 10^p), 17 digits, as high (9 digits) · 10^8 + low (8 digits), every step exact
    const a = d * P_HI[p]!;
    high = Math.floor(a / 1e8);
    low = a - high * 1e8;
    if (low < 0) {
      high--;
      low += 1e8;
    } else if (low >= 1e8) {
      high++;
      low -= 1e8;
    }
    low = Math.floor(low + d * P_LO[p]! + 0.5);
    if (low >= 1e8) {
      const carry = Math.floor(low / 1e8);
      high += carry;
      low -= carry * 1e8;
    }
    if (high >= 1e9) e10++;
    else if (high < 1e8) e10--;
    else break;
  }
  if (e10 < 0) {
    // the usual case (|v| < 1): "0.", zeros, the 17 digits, trailing zeros dropped
    out[at++] = 48;
    out[at++] = 46;
    for (let i = -1; i > e10; i--) out[at++] = 48;
    at = write8(out, write1(out, at, high), high % 1e8);
    at = write8(out, at, low);
    while (out[at - 1] === 48) at--;
    return at;
  }
  write8(digits, write1(digits, 0, high), high % 1e8);
  write8(digits, 9, low);
  let last = 16;
  while (last > e10 && digits[last] === 48) last--;
  for (let i = 0; i <= e10; i++) out[at++] = digits[i]!;
  if (last > e10) {
    out[at++] = 46;
    for (let i = e10 + 1; i <= last; i++) out[at++] = digits[i]!;
  }
  return at;
}

/** "00" … "99" */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** The first of the 9 digits of `high`. */
function write1(out: Uint8Array, at: number, high: number): number {
  out[at] = 48 + ((high / 1e8) | 0);
  return at + 1;
}

/** The 8 digits of `x` (< 10^8), leading zeros included. */
function write8(out: Uint8Array, at: number, x: number): number {
  const a = (x / 1e6) | 0;
  x -= a * 1e6;
  const b = (x / 1e4) | 0;
  x -= b * 1e4;
  const c = (x / 100) | 0;
  const d = x - c * 100;
  out[at] = PAIRS[2 * a]!;
  out[at + 1] = PAIRS[2 * a + 1]!;
  out[at + 2] = PAIRS[2 * b]!;
  out[at + 3] = PAIRS[2 * b + 1]!;
  out[at + 4] = PAIRS[2 * c]!;
  out[at + 5] = PAIRS[2 * c + 1]!;
  out[at + 6] = PAIRS[2 * d]!;
  out[at + 7] = PAIRS[2 * d + 1]!;
  return at + 8;
}

const B64 = new Uint8Array(64);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  .split('')
  .forEach((c, i) => (B64[i] = c.charCodeAt(0)));
const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Writes the little-endian float32 bytes of `v` in standard base64. */
function writeBase64(out: Uint8Array, at: number, v: Float32Array): number {
  let bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (!littleEndian) {
    bytes = new Uint8Array(v.byteLength);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  }
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const x = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[at++] = B64[x >> 18]!;
    out[at++] = B64[(x >> 12) & 63]!;
    out[at++] = B64[(x >> 6) & 63]!;
    out[at++] = B64[x & 63]!;
  }
  if (i < n) {
    const x = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out[at++] = B64[x >> 18]!;
    out[at++] = B64[(x >> 12) & 63]!;
    out[at++] = i + 1 < n ? B64[(x >> 6) & 63]! : 61;
    out[at++] = 61;
  }
  return at;
}

const encoder = new TextEncoder();

/** Bytes of a slice (the same JSON as sliceText, floats possibly spelled with other digits that read back equal). */
export function sliceBytes(job: SliceJob): Uint8Array {
  const { rows, dim, first, kind } = job;
  const n = dim > 0 ? rows.length / dim : 0;
  const perRow = kind === 'openai-base64' ? 4 * Math.ceil((dim * 4) / 3) : dim * 26;
  const out = new Uint8Array(3 * (job.head.length + job.tail.length) + n * (perRow + 80));
  let at = encoder.encodeInto(job.head, out).written;
  for (let i = 0; i < n; i++) {
    const v = rows.subarray(i * dim, (i + 1) * dim);
    if (first + i > 0) out[at++] = 44;
    if (kind !== 'tei') at = writeAscii(out, at, `{"object":"embedding","index":${first + i},"embedding":`);
    if (kind === 'openai-base64') {
      out[at++] = 34;
      at = writeBase64(out, at, v);
      out[at++] = 34;
    } else {
      out[at++] = 91;
      for (let j = 0; j < dim; j++) {
        if (j > 0) out[at++] = 44;
        at = writeFloat(out, at, v[j]!);
      }
      out[at++] = 93;
    }
    if (kind !== 'tei') out[at++] = 125;
  }
  at += encoder.encodeInto(job.tail, out.subarray(at)).written;
  return out.subarray(0, at);
}
