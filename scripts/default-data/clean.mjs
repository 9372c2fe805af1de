/**
 * Cleaning of software-text translation pairs: invisible direction marks, markup, placeholders, accelerators;
 * pairs dropped when a side is too short or too long, looks like an identifier or URL, has leftover template
 * syntax, the lengths disagree, or a non-Latin-script translation is mostly ASCII (left untranslated).
 */
import { SCRIPT_RE } from './languages.mjs';

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const decode = (t) =>
  t
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e) => ENTITIES[e])
    .replace(/&#(x?)([0-9a-fA-F]+);/g, (_, x, n) => String.fromCodePoint(parseInt(n, x ? 16 : 10)));

/** One side of a pair, cleaned (or '' when nothing usable is left). */
export function cleanText(t) {
  let s = t.replace(/[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u00ad\ufeff]/g, '');
  s = decode(decode(s));
  s = s.replace(/\\n|\\t/g, ' ');
  s = s.replace(/<[^<>]{0,300}>/g, ' '); // markup (HTML, <ph>, <ahelp …>)
  s = s
    .replace(/\{\s*-brand-(short|shorter|full|product)-name[^{}]*\}/g, 'Firefox')
    .replace(/\{\s*-vendor-short-name[^{}]*\}/g, 'Mozilla');
  s = s.replace(/%PRODUCTNAME|\$\(PRODUCTNAME\)|\{PRODUCTNAME\}/g, 'LibreOffice');
  s = s.replace(/\{[^{}]*\}/g, ' '); // Fluent placeables, {0}, {name}
  s = s.replace(/%(\d+\$)?[-+ 0#]*\d*(\.\d+)?[sSdDiuxXfFgcp@]/g, ' ').replace(/%\d+/g, ' '); // printf / %1
  s = s.replace(/\$[A-Z_][A-Z0-9_]*\$|\$\([A-Za-z0-9_]+\)|\$[1-9]/g, ' ');
  s = s.replace(/\(\s*[&~_][\p{L}\p{N}]\s*\)/gu, ''); // (&F) accelerators of CJK UIs
  s = s.replace(/[&~](?=[\p{L}\p{N}])/gu, '').replace(/(^|[\s(])_(?=\p{L})/gu, '$1'); // &File, ~File, _File
  s = s.replace(/\(\s*\)|\[\s*\]|«\s*»|"\s*"|“\s*”|„\s*“|'\s*'|‘\s*’/g, ' '); // emptied by placeholder removal
  s = s.replace(/\s+/g, ' ').trim();
  s = s.replace(/^[\s:;,|•·-]+|[\s:;,|•·]+$/gu, '').trim();
  return s;
}

const letters = (s) => s.match(/\p{L}/gu)?.length ?? 0;
const asciiLetters = (s) => s.match(/[A-Za-z]/g)?.length ?? 0;
const DENSE = new Set(['Han', 'Japanese', 'Hangul']);

/** The cleaned pair, or null when it should be dropped. `script`: the target language's script (languages.mjs). */
export function cleanPair(enRaw, xxRaw, script) {
  const en = cleanText(enRaw),
    xx = cleanText(xxRaw);
  if (en.length < 2 || xx.length < 1 || en.length > 400 || xx.length > 400) return null;
  if (letters(en) < 2 || letters(xx) < 1) return null;
  if (en.toLowerCase() === xx.toLowerCase()) return null;
  for (const s of [en, xx]) {
    if (/:\/\/|www\.|@\w|->|[{}[\]\\]|\.(png|svg|js|css|html|ftl|xhp)\b/.test(s)) return null;
    if (!/\s/.test(s) && /[\w][._/][\w]/.test(s) && !/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(s))
      return null; // identifiers, paths
  }
  const re = SCRIPT_RE[script];
  if (re) {
    if (!re.test(xx)) return null;
    if (asciiLetters(xx) > 0.5 * letters(xx)) return null; // mostly untranslated
  }
  if (en.length > 12 && xx.length > 6) {
    const r = xx.length / en.length;
    if (DENSE.has(script) ? r < 0.08 || r > 3 : r < 0.25 || r > 4) return null;
  }
  return [en, xx];
}

/** Key for overlap checks: NFKC, lower case, letters and digits only. */
export const overlapKey = (t) =>
  t
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
