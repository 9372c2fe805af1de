/** Splitting a piece at matches, with the reference's five delimiter behaviours. */
import type { SplitBehaviorJson } from './schema.js';

/** [start, end, isMatch] segments covering a string, as the reference's `find_matches` produces them. */
export type Segment = [number, number, boolean];

/** One segment per matching code point, non-matching runs merged. */
export function charSegments(s: string, test: (cp: number) => boolean): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    const w = cp > 0xffff ? 2 : 1;
    if (test(cp)) {
      if (last < i) out.push([last, i, false]);
      out.push([i, i + w, true]);
      last = i + w;
    }
    i += w;
  }
  if (last < s.length) out.push([last, s.length, false]);
  return out;
}

export function regexSegments(s: string, re: RegExp): Segment[] {
  const out: Segment[] = [];
  let prev = 0;
  for (const m of s.matchAll(re)) {
    const start = m.index,
      end = start + m[0].length;
    if (prev !== start) out.push([prev, start, false]);
    out.push([start, end, true]);
    prev = end;
  }
  if (prev !== s.length) out.push([prev, s.length, false]);
  return out;
}

export function invert(segments: Segment[]): Segment[] {
  return segments.map(([a, b, m]) => [a, b, !m]);
}

/**
 * Segments by character class: maximal runs of code points of one class. Runs of class 0 (separators) are the
 * matches (to remove or isolate); the other runs are the text between them.
 */
export function classRunSegments(s: string, classOf: (cp: number) => number): Segment[] {
  const out: Segment[] = [];
  let runStart = 0,
    runClass = -1;
  for (let i = 0; i < s.length;) {
    const cp = s.codePointAt(i)!;
    const c = classOf(cp);
    if (c !== runClass) {
      if (i > runStart) out.push([runStart, i, runClass === 0]);
      runStart = i;
      runClass = c;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  if (s.length > runStart) out.push([runStart, s.length, runClass === 0]);
  return out;
}

/** Applies a behaviour and appends the non-empty pieces; returns where the first appended piece starts (-1: none). */
export function splitBy(s: string, segments: Segment[], behavior: SplitBehaviorJson, out: string[]): number {
  let first = -1;
  for (const [a, b] of spansBy(segments, behavior)) {
    if (b > a) {
      if (first < 0) first = a;
      out.push(s.slice(a, b));
    }
  }
  return first;
}

/** The [start, end) spans a behaviour keeps (some may be empty). */
export function spansBy(segments: Segment[], behavior: SplitBehaviorJson): Array<[number, number]> {
  let spans: Array<[number, number]> = [];
  switch (behavior) {
    case 'Removed':
      for (const [a, b, m] of segments) if (!m) spans.push([a, b]);
      break;
    case 'Isolated':
      spans = segments.map(([a, b]) => [a, b]);
      break;
    case 'Contiguous': {
      let prev = false;
      for (const [a, b, m] of segments) {
        const last = spans[spans.length - 1];
        if (m === prev && last) last[1] = b;
        else spans.push([a, b]);
        prev = m;
      }
      break;
    }
    case 'MergedWithPrevious': {
      let prev = false;
      for (const [a, b, m] of segments) {
        const last = spans[spans.length - 1];
        if (m && !prev && last) last[1] = b;
        else spans.push([a, b]);
        prev = m;
      }
      break;
    }
    case 'MergedWithNext': {
      let prev = false;
      for (let i = segments.length - 1; i >= 0; i--) {
        const [a, b, m] = segments[i]!;
        const last = spans[spans.length - 1];
        if (m && !prev && last) last[0] = a;
        else spans.push([a, b]);
        prev = m;
      }
      spans.reverse();
      break;
    }
  }
  return spans;
}
