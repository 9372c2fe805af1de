/** Token-level pieces of chunking: counting a text's tokens and cutting a text into windows of N tokens. */
import type { StaticModel } from '../model/static-model.js';
import { splitSentences } from './sentences.js';

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

// made on first use: creating a segmenter loads ICU data (tens of ms), which importing the package should not pay
let graphemes: Intl.Segmenter | undefined;

/** The start of the grapheme cluster at text index i (so that a cut never separates a mark or emoji part). */
export function clusterStart(text: string, i: number, min = 0): number {
  if (i <= min || i >= text.length) return i;
  const from = Math.max(min, i - 32);
  let start = from;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
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
 * Where tokens of text[from, to) start, sentence by sentence: ids from the tokenizer's fast path, and only the
 * sentences holding a wanted token (`next(k)`: the first one ≥ k) tokenized again with offsets. Returns each wanted
 * token's position and the token count.
 */
function tokenStarts(
  model: StaticModel,
  text: string,
  from: number,
  to: number,
  next: (k: number) => number,
): { at: Map<number, number>; n: number } {
  const drop = droppedId(model);
  const at = new Map<number, number>();
  let n = 0;
  for (const sp of splitSentences(text.slice(from, to))) {
    const a = from + sp.start,
      b = from + sp.end;
    const ids = model.tokenizer.encode(text.slice(a, b));
    let count = 0;
    for (const id of ids) if (id !== drop) count++;
    let want = next(n);
    if (want < n + count) {
      const t = model.tokenizer.encodeWithOffsets(text.slice(a, b));
      let k = n;
      for (let i = 0; i < t.ids.length && want < n + count; i++) {
        if (t.ids[i] === drop) continue;
        // a token starting inside a grapheme cluster (a mark the tokenizer splits off) starts with its cluster
        if (k === want) {
          at.set(k, k === 0 ? from : clusterStart(text, a + t.starts[i]!, from));
          want = next(k + 1);
        }
        k++;
      }
    }
    n += count;
  }
  return { at, n };
}

/**
 * text[from, to) cut into windows of `size` tokens, each starting `size − overlap` tokens after the previous one;
 * a window runs from its first token to the token after its last (characters the tokenizer drops stay in).
 * Tokens are counted sentence by sentence (as the other methods count them).
 */
export function tokenWindows(
  model: StaticModel,
  text: string,
  from: number,
  to: number,
  size: number,
  overlap: number,
): Omit<Chunk, 'index'>[] {
  const step = Math.max(1, size - overlap);
  const up = (k: number, base: number): number => base + Math.ceil(Math.max(0, k - base) / step) * step;
  // wanted: window starts (0, step, 2·step, …) and window ends (size, size + step, …)
  const { at, n } = tokenStarts(model, text, from, to, (k) => Math.min(up(k, 0), up(k, size)));
  const out: Omit<Chunk, 'index'>[] = [];
  for (let k = 0; k < n; k += step) {
    const e = Math.min(n, k + size);
    const span = trimSpan(text, at.get(k)!, e < n ? at.get(e)! : to);
    if (span) out.push({ text: text.slice(span[0], span[1]), start: span[0], end: span[1], tokens: e - k });
    if (e === n) break;
  }
  return out;
}
