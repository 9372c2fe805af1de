/** Text with its alignment to the original: for every UTF-16 unit, the original [start, end) it came from. */

/** A (normalized) string and, per UTF-16 unit, the range of the original text it stands for. */
export interface AlignedText {
  readonly s: string;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

/** `text` aligned to itself, shifted by `offset` (a piece of a longer original). */
export function identityAligned(text: string, offset = 0): AlignedText {
  const n = text.length;
  const start = new Int32Array(n),
    end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    start[i] = offset + i;
    end[i] = offset + i + (pair ? 2 : 1);
    if (pair) {
      start[i + 1] = offset + i;
      end[i + 1] = offset + i + 2;
      i++;
    }
  }
  return { s: text, start, end };
}

export function sliceAligned(x: AlignedText, a: number, b: number): AlignedText {
  return { s: x.s.slice(a, b), start: x.start.subarray(a, b), end: x.end.subarray(a, b) };
}

/** The original range of units [a, b) of x: the first unit's start to the last unit's end (as the reference). */
export function originalRange(x: AlignedText, a: number, b: number): [number, number] {
  return b > a ? [x.start[a]!, x.end[b - 1]!] : [x.start[a] ?? 0, x.start[a] ?? 0];
}

/**
 * A transformation as the reference writes it: output code points, each with a change — 0 replaces the next
 * original code point, +n is inserted (aligned to the code point before it), -n replaces the next one and
 * removes n more — and the number of original code points removed just before it.
 */
export class ChangeList {
  readonly cps: number[] = [];
  readonly changes: number[] = [];
  readonly skips: number[] = [];
  private pending = 0;
  push(cp: number, change: number): void {
    this.cps.push(cp);
    this.changes.push(change);
    this.skips.push(this.pending);
    this.pending = 0;
  }
  /** One input code point mapped to `out` (empty: removed). */
  map(out: readonly number[]): void {
    if (out.length === 0) this.remove();
    for (let i = 0; i < out.length; i++) this.push(out[i]!, i === 0 ? 0 : 1);
  }
  /** The next n input code points are dropped. */
  remove(n = 1): void {
    this.pending += n;
  }
}

/** Code points of x with the original range of each (a lone surrogate reads as U+FFFD). */
export function alignedCodePoints(x: AlignedText): { cps: number[]; start: number[]; end: number[] } {
  const cps: number[] = [],
    start: number[] = [],
    end: number[] = [];
  const s = x.s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let cp = c >= 0xd800 && c <= 0xdfff ? 0xfffd : c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000;
      start.push(x.start[i]!);
      end.push(x.end[i + 1]!);
      i++;
    } else {
      start.push(x.start[i]!);
      end.push(x.end[i]!);
    }
    cps.push(cp);
  }
  return { cps, start, end };
}

/** Applies a change list to x: the new text, each code point aligned as the reference's `transform` does. */
export function applyChanges(x: AlignedText, list: ChangeList): AlignedText {
  const src = alignedCodePoints(x);
  const { cps, changes, skips } = list;
  let units = 0;
  for (const cp of cps) units += cp > 0xffff ? 2 : 1;
  const start = new Int32Array(units),
    end = new Int32Array(units);
  let idx = 0,
    u = 0,
    s = '';
  for (let k = 0; k < cps.length; k++) {
    const cp = cps[k]!,
      change = changes[k]!;
    idx += skips[k]!;
    let a: number, b: number;
    if (change > 0) {
      a = idx > 0 ? src.start[idx - 1]! : 0;
      b = idx > 0 ? src.end[idx - 1]! : 0;
    } else {
      a = src.start[idx] ?? 0;
      b = src.end[idx] ?? 0;
      idx += 1 - change;
    }
    const w = cp > 0xffff ? 2 : 1;
    for (let j = 0; j < w; j++) {
      start[u] = a;
      end[u++] = b;
    }
    s += String.fromCodePoint(cp);
  }
  return { s, start, end };
}

/** Maps every code point of x through `f` (one input → zero or more outputs), aligned. */
export function mapCodePoints(x: AlignedText, f: (cp: number) => readonly number[]): AlignedText {
  const list = new ChangeList();
  for (const cp of alignedCodePoints(x).cps) list.map(f(cp));
  return applyChanges(x, list);
}

/** `prefix` + x, the prefix and x's first character aligned to that first character (the reference's prepend). */
export function prependAligned(x: AlignedText, prefix: string): AlignedText {
  if (x.s.length === 0) return x;
  const list = new ChangeList();
  let i = 0;
  for (const ch of prefix) list.push(ch.codePointAt(0)!, i++ === 0 ? 0 : 1);
  i = 0;
  for (const cp of alignedCodePoints(x).cps) list.push(cp, i++ === 0 ? 1 : 0);
  return applyChanges(x, list);
}
