/** Token ids with their offsets in the original text: the reference pipeline run on aligned text. */
import type { AddedTokenMatcher } from './added-tokens.js';
import { identityAligned, originalRange, sliceAligned, type AlignedText } from './aligned.js';
import type { Pipeline } from './pipeline.js';
import type { StartTracker } from './normalizers.js';

/** Tokens of one text: ids, and each token's [starts[i], ends[i]) in the text, in UTF-16 code units. */
export interface TokenSpans {
  ids: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** Token strings by id, for offset trimming (built once per pipeline). */
const tokenStrings = new WeakMap<Pipeline, string[]>();

function tokensById(p: Pipeline): string[] {
  let t = tokenStrings.get(p);
  if (!t) {
    t = [];
    for (const s of p.model.tokens()) {
      const id = p.model.tokenToId(s);
      if (id !== undefined) t[id] = s;
    }
    for (const [s, id] of p.addedIds) t[id] = s;
    tokenStrings.set(p, t);
  }
  return t;
}

/** The words of one piece of raw text (no added token in it), tokenized with spans in the original. */
function encodePiece(p: Pipeline, raw: AlignedText, start: StartTracker, ids: number[], spans: number[]): void {
  const normalized = p.normalizer ? p.normalizer.normalizeAligned(raw, start) : raw;
  const parts = p.normMatcher ? p.normMatcher.splitSpans(normalized.s) : [[-1, 0, normalized.s.length]];
  const local: number[] = [];
  parts.forEach(([id, a, b], j) => {
    if (id! >= 0) {
      ids.push(id!);
      spans.push(...originalRange(normalized, a!, b!));
      return;
    }
    if (j > 0) start.atStart = false;
    const part = sliceAligned(normalized, a!, b!);
    const words = p.preTokenizer ? p.preTokenizer.splitAligned([part], start) : part.s.length ? [part] : [];
    for (const w of words) {
      local.length = 0;
      p.model.tokenize(w.s, ids, local);
      for (let k = 0; k < local.length; k += 2) spans.push(...originalRange(w, local[k]!, local[k + 1]!));
    }
  });
}

/**
 * The reference's `encode(text).offsets` (in UTF-16 units here): added tokens cut out of the raw text, each
 * piece normalized and pre-tokenized with its alignment, the model's tokens mapped back; ByteLevel trimming.
 */
export function encodeAligned(
  p: Pipeline,
  rawMatcher: AddedTokenMatcher | null,
  text: string,
  special: { prefix: readonly number[]; suffix: readonly number[] } | null,
): TokenSpans {
  const ids: number[] = [],
    spans: number[] = [];
  for (const id of special?.prefix ?? []) {
    ids.push(id);
    spans.push(0, 0);
  }
  const pieces = rawMatcher ? rawMatcher.splitSpans(text) : [[-1, 0, text.length] as [number, number, number]];
  pieces.forEach(([id, a, b], index) => {
    if (id >= 0) {
      ids.push(id);
      spans.push(a, b);
    } else encodePiece(p, identityAligned(text.slice(a, b), a), { atStart: index === 0 }, ids, spans);
  });
  const trim = p.postProcessor?.trimOffsets;
  if (trim) trimSpaces(text, tokensById(p), ids, spans, special?.prefix.length ?? 0, trim.addPrefixSpace);
  for (const id of special?.suffix ?? []) {
    ids.push(id);
    spans.push(0, 0);
  }
  const n = ids.length;
  const starts = new Uint32Array(n),
    ends = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = spans[2 * i]!;
    ends[i] = spans[2 * i + 1]!;
  }
  return { ids: Uint32Array.from(ids), starts, ends };
}

const SPACE_CHAR = 'Ġ'; // the byte-level character of ' '

/**
 * ByteLevel's trim_offsets: leading and trailing spaces of each token left out of its offsets, counted in code
 * points (the reference trims offsets already converted to characters).
 */
function trimSpaces(
  text: string,
  tokens: string[],
  ids: number[],
  spans: number[],
  from: number,
  addPrefixSpace: boolean,
): void {
  const isSpace = (c: string): boolean => c === SPACE_CHAR || /^\s$/u.test(c);
  const pair = (i: number): boolean =>
    (text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  const forward = (i: number, n: number): number => {
    for (let k = 0; k < n; k++) i += pair(i) ? 2 : 1;
    return i;
  };
  const back = (i: number, n: number): number => {
    for (let k = 0; k < n; k++) i -= i >= 2 && pair(i - 2) ? 2 : 1;
    return i;
  };
  for (let i = from; i < ids.length; i++) {
    const chars = [...(tokens[ids[i]!] ?? '')];
    let lead = 0,
      trail = 0;
    while (lead < chars.length && isSpace(chars[lead]!)) lead++;
    while (trail < chars.length && isSpace(chars[chars.length - 1 - trail]!)) trail++;
    let a = spans[2 * i]!,
      b = spans[2 * i + 1]!;
    if (lead > 0) {
      if ((i === from || a === 0) && addPrefixSpace && lead === 1) lead = 0;
      a = Math.min(forward(a, lead), b);
    }
    if (trail > 0 && (b >= 2 * trail || [...text.slice(0, b)].length >= trail)) b = Math.max(back(b, trail), a);
    spans[2 * i] = a;
    spans[2 * i + 1] = b;
  }
}

/** Offsets in UTF-16 units turned into code-point offsets of `text` (as Python's tokenizers reports them). */
export function toCodePointOffsets(text: string, offsets: Uint32Array): Uint32Array {
  const out = new Uint32Array(offsets.length);
  let surrogates = false;
  for (let i = 0; i < text.length && !surrogates; i++) surrogates = (text.charCodeAt(i) & 0xfc00) === 0xdc00;
  if (!surrogates) {
    out.set(offsets);
    return out;
  }
  const cpAt = new Uint32Array(text.length + 1);
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    cpAt[i] = k;
    const c = text.charCodeAt(i);
    if (!((c & 0xfc00) === 0xdc00 && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800)) k++;
  }
  cpAt[text.length] = k;
  for (let i = 0; i < offsets.length; i++) out[i] = cpAt[offsets[i]!]!;
  return out;
}
