/** How many terminal columns text takes, for the CLI's tables and clipped texts. See ARCHITECTURE.md, "CLI rules". */
import { WIDE_RANGES } from './wide-chars.js';

/** [first0, last0, first1, last1, …], ascending */
const WIDE: Uint32Array = Uint32Array.from(
  WIDE_RANGES.split(',').flatMap((r) => r.split('-').map((h) => parseInt(h, 16))),
);

function isWide(cp: number): boolean {
  let lo = 0,
    hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]$/u;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}$/u;
const EMOJI = /^\p{Emoji}$/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
let segmenter: Intl.Segmenter | undefined;

function graphemes(s: string): Iterable<Intl.SegmentData> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(s);
}

/** Columns of one grapheme cluster (0, 1 or 2 for most; a cluster of several spacing characters counts each). */
export function clusterWidth(g: string): number {
  let w = 0,
    base = true;
  for (const c of g) {
    if (ZERO_WIDTH.test(c)) continue;
    const cp = c.codePointAt(0)!;
    // an emoji shown as an emoji is two columns, whatever follows (modifiers, ZWJ sequences, a flag's second half)
    if (base && (EMOJI_PRESENTATION.test(c) || (g.includes('\ufe0f') && EMOJI.test(c)))) return 2;
    base = false;
    // Hangul vowels and final consonants join the initial consonant's two columns
    if ((cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff)) continue;
    w += isWide(cp) ? 2 : 1;
  }
  return w;
}

/** Terminal columns of `s`. */
export function displayWidth(s: string): number {
  if (PRINTABLE_ASCII.test(s)) return s.length;
  let w = 0;
  for (const { segment } of graphemes(s)) w += clusterWidth(segment);
  return w;
}

/** `s` cut to at most `width` columns, ending in "…" when cut; only whole grapheme clusters are kept. */
export function truncateToWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width < 1) return '';
  let out = '',
    used = 0;
  for (const { segment } of graphemes(s)) {
    const w = clusterWidth(segment);
    if (used + w > width - 1) break;
    out += segment;
    used += w;
  }
  return out + '…';
}

/** `s` followed by spaces up to `width` columns (unchanged when already as wide or wider). */
export function padEndToWidth(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

/** `s` as a column of exactly `width` columns: truncated with "…" or padded with spaces. */
export function fitToWidth(s: string, width: number): string {
  return padEndToWidth(truncateToWidth(s, width), width);
}

/** The widest of some cells, in columns (0 for none); a loop: any number of cells. */
export function maxWidth(cells: readonly string[]): number {
  let w = 0;
  for (const c of cells) w = Math.max(w, displayWidth(c));
  return w;
}

/** Cells right-aligned to the widest of them (a column of numbers whose signs and magnitudes differ). */
export function alignRight(cells: readonly string[]): string[] {
  const w = maxWidth(cells);
  return cells.map((c) => ' '.repeat(w - displayWidth(c)) + c);
}
