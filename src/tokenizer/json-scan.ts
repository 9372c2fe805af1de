/**
 * A scanner that reads the `vocab` of a tokenizer.json without building an object for it.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import { StaticEmbedError } from '../errors.js';

function ws(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipWs(s: string, i: number): number {
  while (i < s.length && ws(s.charCodeAt(i))) i++;
  return i;
}

/** Index after the string starting at s[i] === '"'. */
function skipString(s: string, i: number): number {
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) i++;
  }
  return -1;
}

/** Index after the JSON value starting at i (-1 when malformed: the caller falls back to JSON.parse). */
function skipValue(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 34) return skipString(s, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (; i < s.length; i++) {
      const d = s.charCodeAt(i);
      if (d === 34) {
        i = skipString(s, i) - 1;
        if (i < 0) return -1;
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
    }
    return -1;
  }
  while (i < s.length) {
    const d = s.charCodeAt(i);
    if (d === 44 || d === 125 || d === 93 || ws(d)) break;
    i++;
  }
  return i;
}

/** Start of the value of `key` in the object starting at s[obj] === '{', or -1. */
function findKey(s: string, obj: number, key: string): number {
  if (s.charCodeAt(obj) !== 123) return -1;
  let i = skipWs(s, obj + 1);
  while (i < s.length && s.charCodeAt(i) !== 125) {
    if (s.charCodeAt(i) !== 34) return -1;
    const end = skipString(s, i);
    if (end < 0) return -1;
    const raw = s.slice(i + 1, end - 1);
    const name = raw.includes('\\') ? (JSON.parse(s.slice(i, end)) as string) : raw;
    i = skipWs(s, end);
    if (s.charCodeAt(i) !== 58) return -1;
    const v = skipWs(s, i + 1);
    if (name === key) return v;
    i = skipValue(s, v);
    if (i < 0) return -1;
    i = skipWs(s, i);
    if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
  }
  return -1;
}

export interface VocabSpan {
  start: number;
  end: number;
}

/** Where the `model.vocab` object ({...}, not a Unigram array) is in the text, or undefined. */
export function findModelVocab(s: string): VocabSpan | undefined {
  const top = skipWs(s, 0);
  const model = findKey(s, top, 'model');
  if (model < 0) return undefined;
  const vocab = findKey(s, model, 'vocab');
  if (vocab < 0 || s.charCodeAt(vocab) !== 123) return undefined;
  const end = skipValue(s, vocab);
  return end < 0 ? undefined : { start: vocab, end };
}

/**
 * Calls visit(text, keyStart, keyEnd, id) for each "key": id member of the object at s[span]; a key with
 * escapes is decoded first and passed as its own string (keyStart 0, keyEnd its length).
 */
export function scanVocab(
  s: string,
  span: VocabSpan,
  visit: (text: string, a: number, b: number, id: number) => void,
): void {
  const bad = (what: string) =>
    new StaticEmbedError(
      'INVALID_TOKENIZER',
      `tokenizer.json "model.vocab": ${what}; expected an object of "token": integer id.`,
    );
  let i = skipWs(s, span.start + 1);
  while (i < span.end && s.charCodeAt(i) !== 125) {
    if (s.charCodeAt(i) !== 34) throw bad(`unexpected character at offset ${i}`);
    const end = skipString(s, i);
    if (end < 0) throw bad('unterminated string');
    let text = s,
      a = i + 1,
      b = end - 1;
    let escaped = false;
    for (let k = a; k < b; k++)
      if (s.charCodeAt(k) === 92) {
        escaped = true;
        break;
      }
    if (escaped) {
      text = JSON.parse(s.slice(i, end)) as string;
      a = 0;
      b = text.length;
    }
    i = skipWs(s, end);
    if (s.charCodeAt(i) !== 58) throw bad(`missing ":" at offset ${i}`);
    i = skipWs(s, i + 1);
    let id = 0,
      digits = 0;
    for (let c = s.charCodeAt(i); c >= 48 && c <= 57; c = s.charCodeAt(++i)) {
      id = id * 10 + (c - 48);
      digits++;
    }
    const next = s.charCodeAt(i);
    if (digits === 0 || digits > 10 || id > 0xfffffffe || (next !== 44 && next !== 125 && !ws(next))) {
      throw bad(`the id of ${JSON.stringify(text.slice(a, b))} is not a non-negative integer`);
    }
    visit(text, a, b, id);
    i = skipWs(s, i);
    if (s.charCodeAt(i) === 44) i = skipWs(s, i + 1);
  }
}
