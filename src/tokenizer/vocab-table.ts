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

const MAGIC = 0x34425653; // "SVB4"
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

/** UTF-8 bytes of s[a, b) (lone surrogates count as the three bytes of U+FFFD, as TextEncoder writes them). */
function utf8Length(s: string, a: number, b: number): number {
  let n = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < b && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * The table of a tokenizer.json's "model.vocab" object, or undefined when it has none (a Unigram list) or repeats
 * a key: per key, the bytes skipped since the previous key and its length in bytes as written (escapes included).
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
    const skip = utf8Length(text, at, open + 1),
      len = utf8Length(text, open + 1, close);
    small(skips, big, skip);
    small(lens, big, len);
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
  const t = keysOf(
    json.subarray(vocabStart, vocabEnd),
    [bytes.subarray(0, n), bytes.subarray(n, 2 * n), bytes.subarray(2 * n)],
    big,
    maxId,
  );
  return t && { ...t, maxId, vocabStart, vocabEnd };
}

/**
 * Decodes the UTF-8 key text[from, end) into keys[at …] as UTF-16 code units (the file is valid UTF-8: its hash is
 * that of a file the table was built from); returns the units written, or -1 when the key has an escape.
 */
function decodeKey(text: Uint8Array, from: number, end: number, keys: Uint16Array, at: number): number {
  let u = at;
  for (let i = from; i < end;) {
    const b0 = text[i]!;
    if (b0 < 0x80) {
      if (b0 === 92) return -1;
      keys[u++] = b0;
      i++;
    } else if (b0 < 0xe0) {
      keys[u++] = ((b0 & 0x1f) << 6) | (text[i + 1]! & 0x3f);
      i += 2;
    } else if (b0 < 0xf0) {
      keys[u++] = ((b0 & 0x0f) << 12) | ((text[i + 1]! & 0x3f) << 6) | (text[i + 2]! & 0x3f);
      i += 3;
    } else {
      const cp =
        (((b0 & 7) << 18) | ((text[i + 1]! & 0x3f) << 12) | ((text[i + 2]! & 0x3f) << 6) | (text[i + 3]! & 0x3f)) -
        0x10000;
      keys[u++] = 0xd800 + (cp >> 10);
      keys[u++] = 0xdc00 + (cp & 0x3ff);
      i += 4;
    }
  }
  return u - at;
}

/**
 * The keys' code units read out of the vocab object's bytes (escaped keys through JSON.parse) with the ids, from the
 * per-key byte skips, byte lengths and zigzag id steps; undefined when they do not fit the text.
 */
function keysOf(
  text: Uint8Array,
  fields: [Uint8Array, Uint8Array, Uint8Array],
  big: Uint32Array,
  maxId: number,
): Pick<VocabTable, 'ids' | 'start' | 'len' | 'keys'> | undefined {
  const [skips, lens, steps] = fields;
  const n = skips.length;
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
  const wide = new Uint16Array(units); // UTF-8 bytes bound the code units; the shared keys are cut to size below
  const ids = new Uint32Array(n);
  const next = new Uint32Array(3);
  let bi = 0,
    at = 0,
    used = 0,
    id = -1;
  for (let e = 0; e < n; e++) {
    for (let f = 0; f < 3; f++) next[f] = fields[f]![e] === 255 ? big[bi++]! : fields[f]![e]!;
    const from = at + next[0]!,
      z = next[2]!;
    at = from + next[1]!;
    id += 1 + (z & 1 ? -(z + 1) / 2 : z / 2);
    if (at > text.length || bi > big.length || id < 0 || id > maxId) return undefined;
    ids[e] = id;
    start[e] = used;
    let l = decodeKey(text, from, at, wide, used);
    if (l < 0) {
      const key = JSON.parse(decoder.decode(text.slice(from - 1, at + 1))) as string;
      for (let i = 0; i < key.length; i++) wide[used + i] = key.charCodeAt(i);
      l = key.length;
    }
    len[e] = l;
    used += l;
  }
  const keys = new Uint16Array(shareableBuffer(2 * used));
  keys.set(wide.subarray(0, used));
  return { ids, start, len, keys };
}
