/** Text with its alignment to the original: for every UTF-16 unit, the original [start, end) it came from. */

/**
 * A (normalized) string and, per UTF-16 unit i, the range [start[off + i], end[off + i]) of the original text it
 * stands for (`off`: pieces share their parent's arrays).
 */
export interface AlignedText {
  readonly s: string;
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly off: number;
}

const isHigh = (c: number): boolean => (c & 0xfc00) === 0xd800;
const isLow = (c: number): boolean => (c & 0xfc00) === 0xdc00;

/** `text` aligned to itself, shifted by `offset` (a piece of a longer original). */
export function identityAligned(text: string, offset = 0): AlignedText {
  const n = text.length;
  const start = new Int32Array(n),
    end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const pair = isHigh(text.charCodeAt(i)) && i + 1 < n && isLow(text.charCodeAt(i + 1));
    start[i] = offset + i;
    end[i] = offset + i + (pair ? 2 : 1);
    if (pair) {
      start[i + 1] = offset + i;
      end[i + 1] = offset + i + 2;
      i++;
    }
  }
  return { s: text, start, end, off: 0 };
}

export function sliceAligned(x: AlignedText, a: number, b: number): AlignedText {
  return { s: x.s.slice(a, b), start: x.start, end: x.end, off: x.off + a };
}

/** The original range of units [a, b) of x: the first unit's start to the last unit's end (as the reference). */
export function originalRange(x: AlignedText, a: number, b: number): [number, number] {
  const o = x.off;
  return b > a ? [x.start[o + a]!, x.end[o + b - 1]!] : [x.start[o + a] ?? 0, x.start[o + a] ?? 0];
}

// the units are whole code points (surrogates only in pairs), so decoding them loses nothing
const utf16 = new TextDecoder(new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'utf-16le' : 'utf-16be', {
  ignoreBOM: true,
});

/** Output of a transformation: UTF-16 units with their alignment, grown as needed. */
class Builder {
  units: Uint16Array;
  start: Int32Array;
  end: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.units = new Uint16Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
  }
  push(cp: number, a: number, b: number): void {
    if (this.n + 2 > this.units.length) this.grow();
    if (cp > 0xffff) {
      this.units[this.n] = 0xd800 + ((cp - 0x10000) >> 10);
      this.start[this.n] = a;
      this.end[this.n++] = b;
      cp = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    }
    this.units[this.n] = cp;
    this.start[this.n] = a;
    this.end[this.n++] = b;
  }
  private grow(): void {
    const cap = this.units.length * 2 + 16;
    const u = new Uint16Array(cap),
      s = new Int32Array(cap),
      e = new Int32Array(cap);
    u.set(this.units);
    s.set(this.start);
    e.set(this.end);
    this.units = u;
    this.start = s;
    this.end = e;
  }
  /** The text (decoded in one piece: a flat string, fast to index) and its alignment. */
  done(): AlignedText {
    const bytes = new Uint8Array(this.units.buffer, 0, this.n * 2);
    return { s: utf16.decode(bytes), start: this.start, end: this.end, off: 0 };
  }
}

/** Visits the code points of x (a lone surrogate reads as U+FFFD) with the original range of each. */
function forEachCodePoint(x: AlignedText, visit: (cp: number, a: number, b: number) => void): void {
  const s = x.s,
    o = x.off;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isHigh(c) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) {
      visit(((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00) + 0x10000, x.start[o + i]!, x.end[o + i + 1]!);
      i++;
    } else visit(c >= 0xd800 && c <= 0xdfff ? 0xfffd : c, x.start[o + i]!, x.end[o + i]!);
  }
}

/** One code point's image: a code point, several, or -1 (removed). */
export type CodePointMap = (cp: number) => number | readonly number[];

/**
 * Maps every code point of x through `f`, each output aligned to its input code point (the reference's alignment
 * for one-to-many maps and filters). Returns x itself when nothing changes.
 */
export function mapCodePoints(x: AlignedText, f: CodePointMap): AlignedText {
  let changed = false;
  forEachCodePoint(x, (cp) => {
    if (!changed) {
      const r = f(cp);
      changed = typeof r === 'number' ? r !== cp : r.length !== 1 || r[0] !== cp;
    }
  });
  if (!changed) return x;
  const out = new Builder(x.s.length + 16);
  forEachCodePoint(x, (cp, a, b) => {
    const r = f(cp);
    if (typeof r === 'number') {
      if (r >= 0) out.push(r, a, b);
    } else for (const y of r) out.push(y, a, b);
  });
  return out.done();
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
  /** The next n input code points are dropped. */
  remove(n = 1): void {
    this.pending += n;
  }
}

/** Code points of x (a lone surrogate reads as U+FFFD). */
export function codePointsOf(x: AlignedText): number[] {
  const cps: number[] = [];
  forEachCodePoint(x, (cp) => cps.push(cp));
  return cps;
}

/** Applies a change list to x: the new text, each code point aligned as the reference's `transform` does. */
export function applyChanges(x: AlignedText, list: ChangeList): AlignedText {
  const srcStart: number[] = [],
    srcEnd: number[] = [];
  forEachCodePoint(x, (_, a, b) => {
    srcStart.push(a);
    srcEnd.push(b);
  });
  const { cps, changes, skips } = list;
  const out = new Builder(cps.length + 16);
  let idx = 0;
  for (let k = 0; k < cps.length; k++) {
    const change = changes[k]!;
    idx += skips[k]!;
    if (change > 0) out.push(cps[k]!, idx > 0 ? srcStart[idx - 1]! : 0, idx > 0 ? srcEnd[idx - 1]! : 0);
    else {
      out.push(cps[k]!, srcStart[idx] ?? 0, srcEnd[idx] ?? 0);
      idx += 1 - change;
    }
  }
  return out.done();
}

/** `prefix` + x, the prefix and x's first character aligned to that first character (the reference's prepend). */
export function prependAligned(x: AlignedText, prefix: string): AlignedText {
  if (x.s.length === 0) return x;
  const out = new Builder(x.s.length + prefix.length + 16);
  const a = x.start[x.off]!,
    b = x.end[x.off]!;
  for (const ch of prefix) out.push(ch.codePointAt(0)!, a, b);
  forEachCodePoint(x, (cp, s, e) => out.push(cp, s, e));
  return out.done();
}
