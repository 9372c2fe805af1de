/**
 * The writing system (Unicode script) of a word piece, for `train-tokenizer --min-script-pieces`.
 * See ARCHITECTURE.md, "Training math".
 */
const SCRIPTS = [
  'Latin',
  'Cyrillic',
  'Greek',
  'Armenian',
  'Georgian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Nko',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Oriya',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Khmer',
  'Mongolian',
  'Ethiopic',
  'Cherokee',
  'Canadian_Aboriginal',
  'Hangul',
  'Han',
  'Hiragana',
  'Katakana',
  'Tifinagh',
  'Ol_Chiki',
  'Javanese',
  'Balinese',
] as const;
const PATTERNS = SCRIPTS.map((s) => new RegExp(`\\p{Script=${s}}`, 'u'));
const JAPANESE = new Set(['Han', 'Hiragana', 'Katakana']);
const LETTER = /\p{L}/u;
const cache = new Map<string, string>();

/** The script name of `piece`'s first letter ('Han' for Han, Hiragana and Katakana), or '' when it has no letter. */
export function writingSystem(piece: string): string {
  for (const ch of piece.startsWith('##') ? piece.slice(2) : piece) {
    if (!LETTER.test(ch)) continue;
    let s = cache.get(ch);
    if (s === undefined) {
      const k = PATTERNS.findIndex((p) => p.test(ch));
      s = k < 0 ? 'Other' : JAPANESE.has(SCRIPTS[k]!) ? 'Han' : SCRIPTS[k]!;
      cache.set(ch, s);
    }
    return s;
  }
  return '';
}
