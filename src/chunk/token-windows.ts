/** Token-level pieces of chunking: counting a text's tokens and cutting a text into windows of N tokens. */
import type { StaticModel } from '../model/static-model.js';

/** A chunk of a text: its place [start, end) in UTF-16 code units, its text and its number of model tokens. */
export interface Chunk {
  /** position of the chunk in its document (0, 1, …) */
  index: number;
  text: string;
  start: number;
  end: number;
  tokens: number;
}

const isSpace = (c: number): boolean =>
  c === 0x20 ||
  (c >= 0x09 && c <= 0x0d) ||
  c === 0xa0 ||
  c === 0x85 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x1680 ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** [start, end) without the white space at either end; undefined when nothing else is left. */
export function trimSpan(text: string, start: number, end: number): [number, number] | undefined {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return end > start ? [start, end] : undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The start of the grapheme cluster at text index i (so that a cut never separates a mark or emoji part). */
export function clusterStart(text: string, i: number, min = 0): number {
  if (i <= min || i >= text.length) return i;
  const from = Math.max(min, i - 32);
  let start = from;
  for (const g of graphemes.segment(text.slice(from, Math.min(text.length, i + 32)))) {
    if (from + g.index > i) break;
    start = from + g.index;
  }
  return start;
}

/** The id the model leaves out of its tokens (model2vec's [UNK]), if any. */
export function droppedId(model: StaticModel): number | undefined {
  return model.info().dropUnk ? model.tokenizer.unkId : undefined;
}

/** The number of tokens the model sees in a text (without special tokens; model2vec: without [UNK]). */
export function countTokens(model: StaticModel, text: string): number {
  const ids = model.tokenizer.encode(text);
  const drop = droppedId(model);
  if (drop === undefined) return ids.length;
  let n = 0;
  for (const id of ids) if (id !== drop) n++;
  return n;
}

/**
 * text[from, to) cut into windows of `size` tokens, each starting `size − overlap` tokens after the previous one;
 * a window runs from its first token to the next window's first token (characters the tokenizer drops stay in).
 */
export function tokenWindows(
  model: StaticModel,
  text: string,
  from: number,
  to: number,
  size: number,
  overlap: number,
): Omit<Chunk, 'index'>[] {
  const t = model.tokenizer.encodeWithOffsets(text.slice(from, to));
  const drop = droppedId(model);
  const starts: number[] = [];
  for (let i = 0; i < t.ids.length; i++) {
    // a token starting inside a grapheme cluster (a mark the tokenizer splits off) starts with its cluster
    if (t.ids[i] !== drop) starts.push(clusterStart(text, from + t.starts[i]!, from));
  }
  const n = starts.length;
  const out: Omit<Chunk, 'index'>[] = [];
  const step = Math.max(1, size - overlap);
  for (let k = 0; k < n; k += step) {
    const e = Math.min(n, k + size);
    const span = trimSpan(text, k === 0 ? from : starts[k]!, e < n ? starts[e]! : to);
    if (span) out.push({ text: text.slice(span[0], span[1]), start: span[0], end: span[1], tokens: e - k });
    if (e === n) break;
  }
  return out;
}
