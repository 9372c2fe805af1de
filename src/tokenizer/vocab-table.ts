/**
 * tokenizer.vocab.bin: a WordPiece tokenizer's fast-path tables as they lie in memory, valid only for the
 * tokenizer.json bytes whose length and hash it records. See ARCHITECTURE.md, "Loading and downloads".
 */
import { isShared, shareableBuffer } from '../kernels/shareable.js';
import type { CodeUnitTableShared } from './code-unit-table.js';

/** The file name, beside tokenizer.json. */
export const VOCAB_TABLE_FILE = 'tokenizer.vocab.bin';

/** The vocabulary table's path beside a tokenizer.json path (same folder, "/"-separated). */
export const vocabTablePath = (tokenizerPath: string): string => tokenizerPath.replace(/[^/]*$/, VOCAB_TABLE_FILE);

/** The format's version: bump it whenever the tables' layout, what they hold or their hash (code-unit-table.ts) changes. */
export const VOCAB_TABLE_VERSION = 6;
// "SVB" and the version
const MAGIC = 0x00425653 | ((0x30 + VOCAB_TABLE_VERSION) << 24);
const HEADER_WORDS = 20;
const LENGTH_BUCKETS = 1025;

/** What a tokenizer is built from, besides tokenizer.json: the fast path's two tables, ready to use. */
export interface VocabTable {
  /** where the "vocab" object is in the tokenizer.json bytes: [start, end) */
  vocabStart: number;
  vocabEnd: number;
  /** the largest id, and the unknown token's id (undefined: none in the vocabulary) */
  maxId: number;
  unkId: number | undefined;
  /** the fast path's own unknown id, and its longest key of each table */
  fastUnkId: number;
  initMax: number;
  contMax: number;
  /** whole tokens, and continuations with their prefix ("##") cut */
  init: CodeUnitTableShared;
  cont: CodeUnitTableShared;
  /** vocabulary tokens of each length in code points (the last bucket: 1024 and more) */
  lengthCounts: Uint32Array;
}

/** murmur3's mixing of one 32-bit word into h. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
}

/** h after mixing in the aligned words of a (one tight loop: this runs cold, at load). */
function mixWords(h: number, a: Uint32Array): number {
  for (let i = 0; i < a.length; i++) {
    let k = Math.imul(a[i]!, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  return h;
}

/** A 32-bit hash of bytes (murmur3's mixing, four bytes at a time, then the rest as one word), seeded with their length. */
export function hashBytes(b: Uint8Array): number {
  const words = b.length >>> 2;
  let h = b.length | 0;
  if (b.byteOffset % 4 === 0) h = mixWords(h, new Uint32Array(b.buffer, b.byteOffset, words));
  else
    for (let p = 0; p < 4 * words; p += 4) h = mix(h, b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24));
  let k = 0;
  for (let p = 4 * words, s = 0; p < b.length; p++, s += 8) k |= b[p]! << s;
  h = mix(h, k);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const jsonHashes = new WeakMap<Uint8Array, number>();

/** hashBytes of a tokenizer.json's bytes, computed once per array (the cache's key, then the table's check). */
export function jsonHash(json: Uint8Array): number {
  let h = jsonHashes.get(json);
  if (h === undefined) jsonHashes.set(json, (h = hashBytes(json)));
  return h;
}

/** The sizes in 4-byte words of a table's arrays, in file order (keys padded to whole words). */
function tableWords(t: { slots: number; size: number; keys: number }): number[] {
  return [t.slots, t.size, t.size, t.size, t.size, Math.ceil(t.keys / 2)];
}

/** The file for these tables, built from exactly these tokenizer.json bytes. */
export function writeVocabTable(json: Uint8Array, v: VocabTable): Uint8Array {
  const shape = (t: CodeUnitTableShared) => ({ slots: t.slots.length, size: t.size, keys: t.keys.length });
  const [init, cont] = [shape(v.init), shape(v.cont)];
  const words = HEADER_WORDS + LENGTH_BUCKETS + [...tableWords(init), ...tableWords(cont)].reduce((a, b) => a + b);
  const out = new Uint32Array(words);
  let at = HEADER_WORDS;
  const put = (a: Int32Array | Uint32Array | Uint16Array, n: number) => {
    new (a.constructor as Uint32ArrayConstructor)(out.buffer, at * 4, a.length).set(a as Uint32Array);
    at += n;
  };
  put(v.lengthCounts, LENGTH_BUCKETS);
  for (const [t, s] of [
    [v.init, init],
    [v.cont, cont],
  ] as const) {
    const [ws, wn, , , , wk] = tableWords(s);
    put(t.slots, ws!);
    for (const a of [t.keyStart, t.keyLen, t.hashes, t.values]) put(a.subarray(0, s.size), wn!);
    put(t.keys, wk!);
  }
  const bytes = new Uint8Array(out.buffer);
  const head = [MAGIC, json.length, hashBytes(json), v.vocabStart, v.vocabEnd, v.maxId, (v.unkId ?? -1) + 1];
  head.push(v.fastUnkId, v.initMax, v.contMax, init.slots, init.size, init.keys, cont.slots, cont.size, cont.keys);
  out.set(head);
  out[HEADER_WORDS - 1] = hashBytes(bytes.subarray(4 * HEADER_WORDS));
  return bytes;
}

/** A table's arrays as views of the file's words from `at`, or undefined when they do not fit. */
function viewTable(
  buf: ArrayBufferLike,
  base: number,
  at: number,
  s: { slots: number; size: number; keys: number },
  maxId: number,
): CodeUnitTableShared | undefined {
  if (s.slots < 16 || (s.slots & (s.slots - 1)) !== 0 || s.size > s.slots) return undefined;
  const [ws, wn] = tableWords(s) as [number, number];
  const i32 = (w: number, n: number) => new Int32Array(buf, base + w * 4, n);
  const u32 = (w: number, n: number) => new Uint32Array(buf, base + w * 4, n);
  const t: CodeUnitTableShared = {
    slots: i32(at, ws),
    keyStart: u32(at + ws, wn),
    keyLen: u32(at + ws + wn, wn),
    hashes: i32(at + ws + 2 * wn, wn),
    values: i32(at + ws + 3 * wn, wn),
    keys: new Uint16Array(buf, base + (at + ws + 4 * wn) * 4, s.keys),
    size: s.size,
  };
  const { keyStart, keyLen, values, slots } = t;
  for (let e = 0; e < s.size; e++) {
    const v = values[e]!;
    if (keyStart[e]! + keyLen[e]! > s.keys || v < 0 || v > maxId) return undefined;
  }
  for (let i = 0; i < ws; i++) if (slots[i]! < -1 || slots[i]! >= s.size) return undefined;
  return t;
}

/**
 * The tables in `file` when they were built from exactly these tokenizer.json bytes and are whole (their own hash
 * matches); undefined otherwise (the tokenizer is then built from the JSON itself). The arrays are views of `file`.
 */
export function readVocabTable(file: Uint8Array, json: Uint8Array): VocabTable | undefined {
  if (file.length < 4 * (HEADER_WORDS + LENGTH_BUCKETS) || file.length % 4 !== 0) return undefined;
  // views need 4-byte alignment, and worker threads share what is already shared
  const b = file.byteOffset % 4 === 0 ? file : isShared(file) ? copyShared(file) : file.slice();
  const h = new Uint32Array(b.buffer, b.byteOffset, HEADER_WORDS);
  if (h[0] !== MAGIC || h[1] !== json.length || h[3]! > h[4]! || h[4]! > json.length) return undefined;
  const init = { slots: h[10]!, size: h[11]!, keys: h[12]! },
    cont = { slots: h[13]!, size: h[14]!, keys: h[15]! };
  const words = HEADER_WORDS + LENGTH_BUCKETS + [...tableWords(init), ...tableWords(cont)].reduce((x, y) => x + y);
  if (b.length !== 4 * words) return undefined;
  if (hashBytes(b.subarray(4 * HEADER_WORDS)) !== h[HEADER_WORDS - 1] || jsonHash(json) !== h[2]) return undefined;
  const at = HEADER_WORDS + LENGTH_BUCKETS;
  const maxId = h[5]!;
  if (maxId > 0x7ffffffe) return undefined;
  const initT = viewTable(b.buffer, b.byteOffset, at, init, maxId);
  const contT = viewTable(b.buffer, b.byteOffset, at + tableWords(init).reduce((x, y) => x + y), cont, maxId);
  if (!initT || !contT) return undefined;
  return {
    vocabStart: h[3]!,
    vocabEnd: h[4]!,
    maxId,
    unkId: h[6]! === 0 ? undefined : h[6]! - 1,
    fastUnkId: h[7]!,
    initMax: h[8]!,
    contMax: h[9]!,
    init: initT,
    cont: contT,
    // a copy: a view would keep the whole file alive once the tables move to shared memory (CodeUnitTable.share)
    lengthCounts: new Uint32Array(b.buffer, b.byteOffset + 4 * HEADER_WORDS, LENGTH_BUCKETS).slice(),
  };
}

function copyShared(file: Uint8Array): Uint8Array {
  const out = new Uint8Array(shareableBuffer(file.length));
  out.set(file);
  return out;
}
