/** Sentence spans from Intl.Segmenter (ICU), in windows (its cost grows faster than the text), with two fallbacks. */

/** A span [start, end) of a text, in UTF-16 code units (JS string indices). */
export interface Span {
  start: number;
  end: number;
}

/** Windows of this many code units keep ICU's segmentation linear; boundaries near a window's end are redone. */
const WINDOW = 4096;
const MARGIN = 512;
/** A "sentence" longer than this (code units) is cut at word boundaries (ICU word segmentation). */
export const LONG_SENTENCE = 1200;

const segmenters = new Map<string, { sentence: Intl.Segmenter; word: Intl.Segmenter }>();

function segmentersFor(locale: string | undefined): { sentence: Intl.Segmenter; word: Intl.Segmenter } {
  const key = locale ?? '';
  let s = segmenters.get(key);
  if (!s) {
    s = {
      sentence: new Intl.Segmenter(locale, { granularity: 'sentence' }),
      word: new Intl.Segmenter(locale, { granularity: 'word' }),
    };
    segmenters.set(key, s);
  }
  return s;
}

/** ICU sentence boundaries of text[from, to) (ends of segments), the last one `to`. */
function icuEnds(seg: Intl.Segmenter, text: string, from: number, to: number): number[] {
  const ends: number[] = [];
  for (const s of seg.segment(text.slice(from, to))) ends.push(from + s.index + s.segment.length);
  return ends;
}

/** Sentence ends over the whole text, window by window (the same ends ICU gives the whole text, in linear time). */
function sentenceEnds(seg: Intl.Segmenter, text: string): number[] {
  const out: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    const to = Math.min(text.length, pos + WINDOW);
    const ends = icuEnds(seg, text, pos, to);
    if (to === text.length) {
      out.push(...ends);
      break;
    }
    let keep = ends.length - 1; // the last segment may be cut by the window: redo it
    while (keep > 0 && ends[keep - 1]! > to - MARGIN && keep > 1) keep--;
    if (keep === 0) {
      out.push(to); // one sentence longer than the window: cut here (it is cut at words later anyway)
      pos = to;
      continue;
    }
    out.push(...ends.slice(0, keep));
    pos = ends[keep - 1]!;
  }
  return out;
}

// Thai and Lao write no sentence punctuation: a space between two of their letters ends a sentence or clause.
const SPACED_SCRIPT = /[\u0e00-\u0eff]/u;
const SPACED_BREAK = /(?<=[\u0e01-\u0e4e\u0e81-\u0ecd])[ \t\u00a0]+(?=[\u0e01-\u0e4e\u0e81-\u0ecd])/gu;

/** Thai/Lao: cut after each space between two letters of those scripts (the space stays with the left part). */
function splitSpacedScripts(text: string, span: Span, out: Span[]): void {
  const piece = text.slice(span.start, span.end);
  if (!SPACED_SCRIPT.test(piece)) {
    out.push(span);
    return;
  }
  let start = span.start;
  for (const m of piece.matchAll(SPACED_BREAK)) {
    const end = span.start + m.index + m[0].length;
    out.push({ start, end });
    start = end;
  }
  if (start < span.end) out.push({ start, end: span.end });
}

/** A span longer than LONG_SENTENCE cut at ICU word boundaries into parts of about that length. */
function splitLong(word: Intl.Segmenter, text: string, span: Span, out: Span[]): void {
  if (span.end - span.start <= LONG_SENTENCE) {
    out.push(span);
    return;
  }
  let start = span.start,
    prev = span.start;
  for (const w of word.segment(text.slice(span.start, span.end))) {
    const at = span.start + w.index;
    if (at - start > LONG_SENTENCE && prev > start) {
      out.push({ start, end: prev });
      start = prev;
    }
    prev = at;
  }
  if (span.end - start > LONG_SENTENCE && prev > start) {
    out.push({ start, end: prev });
    start = prev;
  }
  out.push({ start, end: span.end });
}

/**
 * The sentences of a text, as spans covering it end to end (each keeps its trailing spaces): ICU sentence
 * segmentation (`locale` as Intl.Segmenter takes it), then Thai/Lao sentences cut at the spaces between them, then
 * any part still longer than 1,200 code units cut at ICU word boundaries.
 */
export function splitSentences(text: string, locale?: string): Span[] {
  const { sentence, word } = segmentersFor(locale);
  const spans: Span[] = [];
  let start = 0;
  for (const end of sentenceEnds(sentence, text)) {
    const spaced: Span[] = [];
    splitSpacedScripts(text, { start, end }, spaced);
    for (const s of spaced) splitLong(word, text, s, spans);
    start = end;
  }
  return spans;
}
