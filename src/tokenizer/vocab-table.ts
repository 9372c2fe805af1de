/**
 * tokenizer.vocab.bin: where each token of a WordPiece tokenizer.json's "model.vocab" object is, and its id (three
 * bytes a token), valid only for the tokenizer.json bytes whose length and hash it records; a stale one is ignored.
 */
import { shareableBuffer } from '../kernels/shareable.js';
import { findModelVocab, scanVocab } from './json-scan.js';

/** The file name, beside tokenizer.json. */
export const VOCAB_TABLE_FILE = 'tokenizer.vocab.bin';

/** The vocabulary table's path beside a tokenizer.json path (same folder, "/"-separated). */
export const vocabTablePath = (tokenizerPath: string): string => tokenizerPath.replace(/[^/]*$/, VOCAB_TABLE_FILE);

const MAGIC = 0x33425653; // "SVB3"
const HEADER_WORDS = 10;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The vocabulary in file order (a repeated key keeps its first place and its last id, as JSON.parse does). */
export interface VocabTable {
  ids: Uint32Array;
  /** key e is keys[start[e], start[e] + len[e]) (UTF-16 code units) */
  start: Uint32Array;
  len: Uint32Array;
  keys: Uint16Array;
  /** the largest id in the file (repeated keys included) */
  maxId: number;
  /** where the "vocab" object is in the tokenizer.json bytes: [start, end) */
  vocabStart: number;
  vocabEnd: number;
}

/** A 32-bit hash of bytes (murmur3's mixing, four bytes at a time), seeded with their length. */
export function hashBytes(b: Uint8Array): number {
  let h = b.length | 0;
  const words = b.length >>> 2;
  const aligned = b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, words) : undefined;
  for (let i = 0, p = 0; i <= words; i++, p += 4) {
    let k = 0;
    if (i < words) k = aligned ? aligned[i]! : b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
    else for (let s = 0; p < b.length; p++, s += 8) k |= b[p]! << s;
    k = Math.imul(k, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Appends v as one byte, or as 255 and then v in `big` (values of 255 and more). */
function small(bytes: number[], big: number[], v: number): void {
  if (v < 255) bytes.push(v);
  else {
    bytes.push(255);
    big.push(v);
  }
}

/**
 * The table of a tokenizer.json's "model.vocab" object, or undefined when it has none (a Unigram list) or repeats
 * a key: per key, the code units skipped since the previous key and its length as written (escapes included).
 */
export function buildVocabTable(json: Uint8Array): Uint8Array | undefined {
  const full = decoder.decode(json);
  const span = findModelVocab(full);
  if (!span) return undefined;
  const text = full.slice(span.start, span.end);
  const seen = new Set<string>();
  const skips: number[] = [],
    lens: number[] = [],
    steps: number[] = [],
    big: number[] = [],
    ids: number[] = [];
  let at = 0,
    repeated = false;
  scanVocab(text, { start: 0, end: text.length }, (t, a, b, id) => {
    const key = t.slice(a, b);
    // a decoded key (escapes) is passed as its own string: find it as written after the previous key
    const open = t === text ? a - 1 : text.indexOf('"', at + 1);
    const close = t === text ? b : skipEscaped(text, open + 1);
    repeated ||= seen.has(key);
    seen.add(key);
    small(skips, big, open + 1 - at);
    small(lens, big, close - open - 1);
    // the id as a step from the previous one + 1, zigzag-coded (0 for consecutive ids)
    const step = id - (ids.length ? ids[ids.length - 1]! : -1) - 1;
    small(steps, big, step >= 0 ? 2 * step : -2 * step - 1);
    ids.push(id);
    at = close;
  });
  if (repeated) return undefined;
  const n = ids.length;
  const out = new Uint8Array(4 * HEADER_WORDS + 4 * big.length + 3 * n);
  new Uint32Array(out.buffer, 4 * HEADER_WORDS, big.length).set(big);
  out.set([...skips, ...lens, ...steps], 4 * HEADER_WORDS + 4 * big.length);
  const vocabStart = new TextEncoder().encode(full.slice(0, span.start)).length;
  const vocabEnd = vocabStart + new TextEncoder().encode(text).length;
  const maxId = ids.reduce((m, id) => Math.max(m, id), -1);
  const body = out.subarray(4 * HEADER_WORDS);
  const head = [MAGIC, json.length, hashBytes(json), n, big.length, maxId, vocabStart, vocabEnd, hashBytes(body)];
  new Uint32Array(out.buffer, 0, HEADER_WORDS).set([...head, 0]);
  return out;
}

/** The index of the quote that closes a string whose body starts at i. */
function skipEscaped(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) !== 34) i += s.charCodeAt(i) === 92 ? 2 : 1;
  return i;
}

/**
 * The table in `file` when it was built from exactly these tokenizer.json bytes and is whole (its own hash
 * matches); undefined otherwise (the tokenizer is then built from the JSON itself).
 */
export function readVocabTable(file: Uint8Array, json: Uint8Array): VocabTable | undefined {
  if (file.length < 4 * HEADER_WORDS) return undefined;
  const b = file.byteOffset % 4 === 0 ? file : file.slice();
  const [magic, jsonLength, jsonHash, n, nBig, maxId, vocabStart, vocabEnd, bodyHash] = Array.from(
    new Uint32Array(b.buffer, b.byteOffset, HEADER_WORDS),
  ) as [number, number, number, number, number, number, number, number, number];
  if (magic !== MAGIC || jsonLength !== json.length || vocabStart > vocabEnd || vocabEnd > json.length)
    return undefined;
  if (b.length !== 4 * HEADER_WORDS + 4 * nBig + 3 * n || maxId > 0xfffffffe) return undefined;
  if (hashBytes(b.subarray(4 * HEADER_WORDS)) !== bodyHash || hashBytes(json) !== jsonHash) return undefined;
  const big = new Uint32Array(b.buffer, b.byteOffset + 4 * HEADER_WORDS, nBig);
  const bytes = b.subarray(4 * HEADER_WORDS + 4 * nBig);
  const text = decoder.decode(json.subarray(vocabStart, vocabEnd));
  const t = keysOf(text, bytes.subarray(0, n), bytes.subarray(n, 2 * n), bytes.subarray(2 * n), big, maxId);
  return t && { ...t, maxId, vocabStart, vocabEnd };
}

/** The keys' code units copied out of the vocab object's text (escaped keys decoded), or undefined if they do not fit. */
function keysOf(
  text: string,
  skips: Uint8Array,
  lens: Uint8Array,
  steps: Uint8Array,
  big: Uint32Array,
  maxId: number,
): Pick<VocabTable, 'ids' | 'start' | 'len' | 'keys'> | undefined {
  const n = skips.length;
  const fields = [skips, lens, steps];
  let units = 0;
  for (let e = 0, bi = 0; e < n; e++) {
    if (skips[e] === 255) bi++;
    units += lens[e] === 255 ? (big[bi++] ?? 0) : lens[e]!;
    if (steps[e] === 255) bi++;
  }
  if (units > text.length) return undefined;
  // in SharedArrayBuffers where the runtime has them: the fast path's tables adopt these arrays as they are
  const start = new Uint32Array(shareableBuffer(4 * n)),
    len = new Uint32Array(shareableBuffer(4 * n));
  const keys = new Uint16Array(shareableBuffer(2 * units));
  const ids = new Uint32Array(n);
  const next = new Uint32Array(3);
  let bi = 0,
    at = 0,
    used = 0,
    id = -1;
  for (let e = 0; e < n; e++) {
    for (let f = 0; f < 3; f++) next[f] = fields[f]![e] === 255 ? big[bi++]! : fields[f]![e]!;
    const from = at + next[0]!,
      l = next[1]!,
      z = next[2]!;
    at = from + l;
    id += 1 + (z & 1 ? -(z + 1) / 2 : z / 2);
    if (at > text.length || bi > big.length || id < 0 || id > maxId) return undefined;
    ids[e] = id;
    start[e] = used;
    let escaped = false;
    for (let i = 0; i < l; i++) {
      const c = text.charCodeAt(from + i);
      keys[used + i] = c;
      escaped ||= c === 92;
    }
    if (escaped) {
      const key = JSON.parse(text.slice(from - 1, at + 1)) as string;
      for (let i = 0; i < key.length; i++) keys[used + i] = key.charCodeAt(i);
      len[e] = key.length;
    } else len[e] = l;
    used += len[e]!;
  }
  return { ids, start, len, keys };
}
