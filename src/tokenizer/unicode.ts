/**
 * Character classes and mappings exactly as the Rust `tokenizers` library applies them.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import * as T from './unicode-tables.js';
import { shareableBuffer } from '../kernels/shareable.js';

export const enum Flag {
  Whitespace = 1, // Rust char::is_whitespace
  BertSpace = 2, // BertNormalizer clean_text maps it to ' '
  BertRemoved = 4, // BertNormalizer clean_text deletes it
  Punct = 8, // ASCII punctuation or Unicode P*
  Nonspacing = 16, // Unicode Mn
  Combining = 32, // Unicode M*
  Chinese = 64, // BertNormalizer handle_chinese_chars ranges
  RegexWord = 128, // \w of the Rust regex crate (Whitespace pre-tokenizer, added tokens' single_word)
  RegexSpace = 256, // \s of the Rust regex crate
  OnigL = 512, // \p{L} in ByteLevel's regex (Oniguruma)
  OnigN = 1024, // \p{N} in ByteLevel's regex
  OnigS = 2048, // \s in ByteLevel's regex
  Numeric = 4096, // Rust char::is_numeric (Digits pre-tokenizer)
}

export const UNICODE_SOURCE = `Rust tokenizers ${T.TOKENIZERS_VERSION}; combining classes from Unicode ${T.UNICODEDATA_VERSION}`;

function decodeRanges(s: string, visit: (start: number, end: number) => void): void {
  if (s.length === 0) return;
  let prev = 0;
  for (const pair of s.split(';')) {
    const comma = pair.indexOf(',');
    const start = prev + parseInt(pair.slice(0, comma), 16);
    const end = start + parseInt(pair.slice(comma + 1), 16);
    visit(start, end);
    prev = end;
  }
}

function decodeMap(s: string): Map<number, number[]> {
  const map = new Map<number, number[]>();
  let prev = 0;
  for (const entry of s.split(';')) {
    const colon = entry.indexOf(':');
    const key = prev + parseInt(entry.slice(0, colon), 16);
    map.set(
      key,
      entry
        .slice(colon + 1)
        .split('.')
        .map((h) => parseInt(h, 16)),
    );
    prev = key;
  }
  return map;
}

const CHINESE_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x4e00, 0x9fff],
  [0x3400, 0x4dbf],
  [0x20000, 0x2a6df],
  [0x2a700, 0x2b73f],
  [0x2b740, 0x2b81f],
  [0x2b920, 0x2ceaf],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

let lowerMap: Map<number, number[]> | undefined;
let nfdMap: Map<number, number[]> | undefined;
let nfkdMap: Map<number, number[]> | undefined;
let composeMap: Map<number, number> | undefined;
let cccMap: Map<number, number> | undefined;

/**
 * Two bytes of flags per code point as a two-level table (blocks of 128 code points, each distinct block stored
 * once: about 75 kB, in SharedArrayBuffers), decoded once per process.
 */
export interface CharFlagTable {
  /** block index (cp >> 7) → the block's first entry in `data`, divided by 128 */
  blocks: Uint16Array;
  data: Uint16Array;
}

let table: CharFlagTable | undefined;

/** Each flag's ranges as sorted boundaries [start0, end0, start1, end1, …, 0x110000] (in while the index is odd). */
function flagBoundaries(): Array<[number, number[]]> {
  const lists: Array<[number, string]> = [
    [Flag.Whitespace, T.WHITESPACE],
    [Flag.BertSpace, T.BERTSPACE],
    [Flag.BertRemoved, T.BERTREMOVED],
    [Flag.Punct, T.PUNCT],
    [Flag.Nonspacing, T.NONSPACING],
    [Flag.Combining, T.COMBINING],
    [Flag.RegexWord, T.REGEXWORD],
    [Flag.RegexSpace, T.REGEXSPACE],
    [Flag.OnigL, T.ONIGL],
    [Flag.OnigN, T.ONIGN],
    [Flag.OnigS, T.ONIGS],
    [Flag.Numeric, T.NUMERIC],
  ];
  const out = lists.map(([bit, s]): [number, number[]] => {
    const b: number[] = [];
    decodeRanges(s, (x, y) => b.push(x, y));
    b.push(0x110000);
    return [bit, b];
  });
  const chinese = [...CHINESE_RANGES].sort((x, y) => x[0] - y[0]).flatMap(([x, y]) => [x, y + 1]);
  out.push([Flag.Chinese, [...chinese, 0x110000]]);
  return out;
}

/** The flags as constant runs: run k holds values[k] from starts[k] to starts[k + 1] (the last ends at 0x110000). */
function flagRuns(): { starts: number[]; values: number[] } {
  const lists = flagBoundaries();
  const at = new Int32Array(lists.length);
  const starts = [0],
    values = [0];
  for (;;) {
    let next = 0x110000;
    for (let f = 0; f < lists.length; f++) next = Math.min(next, lists[f]![1][at[f]!]!);
    if (next >= 0x110000) break;
    let value = 0;
    for (let f = 0; f < lists.length; f++) {
      const b = lists[f]![1];
      while (b[at[f]!] === next && next < 0x110000) at[f]!++;
      if (at[f]! & 1) value |= lists[f]![0];
    }
    if (value === values[values.length - 1]) continue;
    if (starts[starts.length - 1] === next) values[values.length - 1] = value;
    else {
      starts.push(next);
      values.push(value);
    }
  }
  starts.push(0x110000);
  return { starts, values };
}

export function charFlags(): CharFlagTable {
  if (table) return table;
  const { starts, values } = flagRuns();
  const blocks = new Uint16Array(shareableBuffer((0x110000 >> 7) * 2));
  const data: number[] = [];
  const uniform = new Map<number, number>(); // value → block of that one value
  const mixed = new Map<number, number[]>(); // hash of a block with several values → the blocks with that hash
  const block = new Uint16Array(128);
  for (let b = 0, k = 0; b < blocks.length; b++) {
    const lo = b << 7;
    while (starts[k + 1]! <= lo) k++;
    let index: number | undefined;
    if (starts[k + 1]! >= lo + 128) {
      index = uniform.get(values[k]!);
      if (index === undefined) {
        uniform.set(values[k]!, (index = data.length >> 7));
        for (let i = 0; i < 128; i++) data.push(values[k]!);
      }
    } else {
      let h = 0x811c9dc5;
      for (let i = 0, j = k; i < 128; i++) {
        while (starts[j + 1]! <= lo + i) j++;
        block[i] = values[j]!;
        h = Math.imul(h ^ values[j]!, 0x01000193);
      }
      const same = mixed.get(h) ?? [];
      index = same.find((d) => block.every((v, i) => data[(d << 7) + i] === v));
      if (index === undefined) {
        same.push((index = data.length >> 7));
        mixed.set(h, same);
        for (let i = 0; i < 128; i++) data.push(block[i]!);
      }
    }
    blocks[b] = index;
  }
  const shared = new Uint16Array(shareableBuffer(data.length * 2));
  shared.set(data);
  table = { blocks, data: shared };
  return table;
}

/** The flags of U+0000 … U+007F, as the table has them (a test checks): ASCII text never needs the whole table. */
// prettier-ignore
const ASCII_FLAGS = new Uint16Array([
  4, 4, 4, 4, 4, 4, 4, 4, 4, 2307, 2307, 2309, 2309, 2307, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
  2307, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 5248, 5248, 5248, 5248, 5248, 5248, 5248, 5248, 5248, 5248,
  8, 8, 8, 8, 8, 8, 8, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640,
  640, 640, 640, 640, 640, 640, 640, 8, 8, 8, 8, 136, 8, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640,
  640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 640, 8, 8, 8, 8, 4,
]);

/** The flags of a code point. */
export function flagsOf(cp: number): number {
  if (cp < 128) return ASCII_FLAGS[cp]!;
  const t = table ?? charFlags();
  return t.data[(t.blocks[cp >>> 7]! << 7) | (cp & 127)]!;
}

/** Worker threads adopt the calling thread's table instead of decoding their own. */
export function adoptCharFlags(t: CharFlagTable): void {
  table ??= t;
}

export function hasFlag(cp: number, flag: Flag): boolean {
  return (flagsOf(cp) & flag) !== 0;
}

/** A–Z lowercased (the one ASCII mapping of the table), so ASCII text never decodes the whole map. */
const ASCII_LOWER: readonly (readonly number[])[] = Array.from({ length: 26 }, (_, i) => Object.freeze([97 + i]));

/** Rust `char::to_lowercase`, one code point at a time (no context: final sigma stays σ). */
export function lowercaseOf(cp: number): readonly number[] | undefined {
  if (cp < 128) return cp >= 65 && cp <= 90 ? ASCII_LOWER[cp - 65] : undefined;
  lowerMap ??= decodeMap(T.LOWER);
  return lowerMap.get(cp);
}

const S_BASE = 0xac00,
  L_BASE = 0x1100,
  V_BASE = 0x1161,
  T_BASE = 0x11a7,
  V_COUNT = 21,
  T_COUNT = 28;

/** Full canonical decomposition of one code point (undefined when it does not decompose). */
export function nfdOf(cp: number): readonly number[] | undefined {
  if (cp >= S_BASE && cp <= 0xd7a3) {
    const s = cp - S_BASE;
    const l = L_BASE + Math.floor(s / (V_COUNT * T_COUNT));
    const v = V_BASE + Math.floor((s % (V_COUNT * T_COUNT)) / T_COUNT);
    const t = s % T_COUNT;
    return t === 0 ? [l, v] : [l, v, T_BASE + t];
  }
  nfdMap ??= decodeMap(T.NFD);
  return nfdMap.get(cp);
}

/** Full compatibility decomposition of one code point (undefined when it does not decompose). */
export function nfkdOf(cp: number): readonly number[] | undefined {
  if (cp >= S_BASE && cp <= 0xd7a3) return nfdOf(cp);
  nfkdMap ??= decodeMap(T.NFKD);
  return nfkdMap.get(cp);
}

/** Primary composite of a canonical pair, or undefined. */
function composePair(a: number, b: number): number | undefined {
  if (a >= L_BASE && a < L_BASE + 19 && b >= V_BASE && b < V_BASE + V_COUNT) {
    return S_BASE + ((a - L_BASE) * V_COUNT + (b - V_BASE)) * T_COUNT;
  }
  if (a >= S_BASE && a <= 0xd7a3 && (a - S_BASE) % T_COUNT === 0 && b > T_BASE && b < T_BASE + T_COUNT)
    return a + (b - T_BASE);
  if (!composeMap) {
    composeMap = new Map();
    for (const e of T.COMPOSE.split(';')) {
      const [x, y, z] = e.split('.').map((h) => parseInt(h, 16)) as [number, number, number];
      composeMap.set(x * 0x110000 + y, z);
    }
  }
  return composeMap.get(a * 0x110000 + b);
}

/** Canonical combining class (0 for starters and for code points the reference does not reorder). */
export function cccOf(cp: number): number {
  if (!cccMap) {
    const m = new Map<number, number>();
    for (const [cls, s] of Object.entries(T.CCC))
      decodeRanges(s, (a, b) => {
        for (let i = a; i < b; i++) m.set(i, Number(cls));
      });
    cccMap = m;
  }
  return cccMap.get(cp) ?? 0;
}

/** Code points of a string; a lone surrogate becomes U+FFFD, as a UTF-8 encoder would write it. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out.push(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c);
  }
  return out;
}

export function fromCodePoints(cps: readonly number[]): string {
  let s = '';
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096));
  return s;
}

/**
 * NFD with canonical reordering, over code points. With `changes`, also each output code point's alignment change (see
 * tokenizer/aligned.ts): +1 for an inserted extra, moved with its code point when reordered, −1 folded into a starter
 * that absorbs a code point.
 */
export function nfd(cps: readonly number[], changes?: number[]): number[] {
  return decompose(cps, nfdOf, changes);
}

export function nfkd(cps: readonly number[], changes?: number[]): number[] {
  return decompose(cps, nfkdOf, changes);
}

export function nfc(cps: readonly number[], changes?: number[]): number[] {
  return compose(nfd(cps, changes), changes);
}

export function nfkc(cps: readonly number[], changes?: number[]): number[] {
  return compose(nfkd(cps, changes), changes);
}

/** Canonical composition of a decomposed, canonically ordered sequence (`changes` updated in step). */
function compose(cps: number[], changes?: number[]): number[] {
  const out: number[] = [];
  const outChanges: number[] = [];
  let starter = -1,
    lastCcc = 0;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!;
    const c = cccOf(cp);
    if (starter >= 0) {
      const adjacent = out.length - 1 === starter;
      if (adjacent || (lastCcc !== 0 && lastCcc < c)) {
        const comp = composePair(out[starter]!, cp);
        if (comp !== undefined) {
          out[starter] = comp;
          if (changes) outChanges[starter]! += changes[i]! - 1;
          continue;
        }
      }
    }
    if (c === 0) starter = out.length;
    lastCcc = c;
    out.push(cp);
    if (changes) outChanges.push(changes[i]!);
  }
  if (changes) {
    changes.length = 0;
    for (const c of outChanges) changes.push(c);
  }
  return out;
}

function decompose(
  cps: readonly number[],
  table: (cp: number) => readonly number[] | undefined,
  changes?: number[],
): number[] {
  const out: number[] = [];
  if (changes) changes.length = 0;
  for (const cp of cps) {
    const d = table(cp);
    if (d) out.push(...d);
    else out.push(cp);
    if (changes) for (let k = 0; k < (d ? d.length : 1); k++) changes.push(k === 0 ? 0 : 1);
  }
  for (let i = 0; i < out.length; i++) {
    if (cccOf(out[i]!) === 0) continue;
    let j = i;
    while (j < out.length && cccOf(out[j]!) !== 0) j++;
    if (j - i > 1) {
      const run = out.slice(i, j).map((cp, k) => ({ cp, k, c: cccOf(cp), ch: changes?.[i + k] ?? 0 }));
      run.sort((a, b) => a.c - b.c || a.k - b.k);
      for (let k = 0; k < run.length; k++) {
        out[i + k] = run[k]!.cp;
        if (changes) changes[i + k] = run[k]!.ch;
      }
    }
    i = j;
  }
  return out;
}

/** Does the NFD of this code point contain a mark that survives Mn-stripping yet takes part in reordering? */
export function hasReorderableSurvivor(cp: number): boolean {
  const d = nfdOf(cp) ?? [cp];
  return d.some((x) => cccOf(x) !== 0 && !hasFlag(x, Flag.Nonspacing));
}
