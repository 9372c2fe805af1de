/**
 * Added tokens (special tokens and `added_tokens`) cut out of a text before the model sees it.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import type { AddedTokenJson } from './schema.js';
import { Flag, flagsOf } from './unicode.js';

// \w and \s of the Rust regex crate, as read off the reference (unicode.ts)
function isWord(cp: number | undefined): boolean {
  return cp !== undefined && (flagsOf(cp) & Flag.RegexWord) !== 0;
}
function isSpace(cp: number): boolean {
  return (flagsOf(cp) & Flag.RegexSpace) !== 0;
}
function lastCodePoint(s: string, end: number): number | undefined {
  if (end <= 0) return undefined;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xdc00 && c <= 0xdfff && end >= 2) {
    const h = s.charCodeAt(end - 2);
    if (h >= 0xd800 && h <= 0xdbff) return s.codePointAt(end - 2);
  }
  return c;
}
/** Index where the run of spaces ending at `end` starts. */
function spacesBefore(s: string, end: number): number {
  let i = end;
  for (;;) {
    const cp = lastCodePoint(s, i);
    if (cp === undefined || !isSpace(cp)) return i;
    i -= cp > 0xffff ? 2 : 1;
  }
}
/** Index where the run of spaces starting at `start` ends. */
function spacesAfter(s: string, start: number): number {
  let i = start;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isSpace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

interface Entry {
  content: string;
  id: number;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
}

/** A piece of text: a string still to tokenize, or the id of an added token. */
export type Piece = string | number;

export class AddedTokenMatcher {
  /** first UTF-16 code unit → candidates, longest first */
  private readonly byFirst = new Map<number, Entry[]>();
  readonly firstUnits: Uint8Array = new Uint8Array(65536);

  constructor(tokens: ReadonlyArray<{ pattern: string; token: AddedTokenJson }>) {
    for (const { pattern, token } of tokens) {
      if (pattern.length === 0) continue;
      const first = pattern.charCodeAt(0);
      const list = this.byFirst.get(first) ?? [];
      list.push({
        content: pattern,
        id: token.id,
        singleWord: !!token.single_word,
        lstrip: !!token.lstrip,
        rstrip: !!token.rstrip,
      });
      list.sort((x, y) => y.content.length - x.content.length);
      this.byFirst.set(first, list);
      this.firstUnits[first] = 1;
    }
  }

  get empty(): boolean {
    return this.byFirst.size === 0;
  }

  /** Index of the first code unit in [from, to) that can start an added token, or -1. */
  nextCandidate(text: string, from: number, to: number): number {
    const f = this.firstUnits;
    for (let i = from; i < to; i++) if (f[text.charCodeAt(i)] === 1) return i;
    return -1;
  }

  /** Splits `text` into pieces; returns [text] when nothing matches. */
  split(text: string): Piece[] {
    const out: Piece[] = [];
    const all = this.scan(
      text,
      (a, b) => out.push(text.slice(a, b)),
      (id) => out.push(id),
    );
    return all ? [text] : out;
  }

  /** Like split, with where each piece is: [id or -1 for text, start, end] triples (UTF-16 units). */
  splitSpans(text: string): Array<[number, number, number]> {
    const out: Array<[number, number, number]> = [];
    const all = this.scan(
      text,
      (a, b) => out.push([-1, a, b]),
      (id, a, b) => out.push([id, a, b]),
    );
    return all ? [[-1, 0, text.length]] : out;
  }

  /** Visits text spans and matched tokens in order; returns true (visiting nothing) when nothing matches. */
  private scan(
    text: string,
    onText: (a: number, b: number) => void,
    onToken: (id: number, a: number, b: number) => void,
  ): boolean {
    let startOffset = 0;
    let i = this.nextCandidate(text, 0, text.length);
    while (i >= 0) {
      let match: Entry | undefined;
      for (const e of this.byFirst.get(text.charCodeAt(i)) ?? []) {
        if (text.startsWith(e.content, i)) {
          match = e;
          break;
        }
      }
      if (!match) {
        i = this.nextCandidate(text, i + 1, text.length);
        continue;
      }
      let start = i,
        stop = i + match.content.length;
      const next = stop;
      let keep = true;
      if (match.singleWord) {
        const startSpace = start === 0 || !isWord(lastCodePoint(text, start));
        const stopSpace = stop === text.length || !isWord(text.codePointAt(stop));
        keep = startSpace && stopSpace;
      }
      if (keep) {
        if (match.lstrip) start = Math.max(spacesBefore(text, start), startOffset);
        if (match.rstrip) stop = spacesAfter(text, stop);
        if (startOffset < start) onText(startOffset, start);
        onToken(match.id, start, stop);
        startOffset = stop;
      }
      i = this.nextCandidate(text, Math.max(next, stop), text.length);
    }
    if (startOffset === 0) return true;
    if (startOffset < text.length) onText(startOffset, text.length);
    return false;
  }
}
