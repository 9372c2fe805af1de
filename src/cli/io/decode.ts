/** Text input bytes to strings for every CLI command: invalid UTF-8 and NUL bytes are errors naming the file and line
 * unless --encoding-errors replace / --binary-ok accept them (never silently); a UTF-8 BOM at the start is dropped. */
import { StaticEmbedError } from '../../errors.js';
import type { OptionSpec } from '../command.js';
import type { InputPolicy } from './input-policy.js';

/** The options every command that reads text files has. */
export const INPUT_OPTIONS: Record<string, OptionSpec> = {
  'encoding-errors': { type: 'string' },
  'binary-ok': { type: 'boolean' },
};

export const INPUT_HELP = [
  '--encoding-errors strict|replace   invalid UTF-8 in a text input is an error naming the file and line (strict, ' +
    'the default); replace: each bad byte sequence becomes U+FFFD, with a note on stderr',
  '--binary-ok          accept NUL bytes in text input (refused by default: the file is probably not text)',
];

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });

/** Byte offset of the first invalid UTF-8 sequence from `from` (WHATWG rules: no overlongs or surrogates), or -1. */
export function firstInvalidUtf8(b: Uint8Array, from = 0): number {
  for (let i = from; i < b.length;) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number,
      lo = 0x80,
      hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    if (i + n >= b.length) return i;
    const b1 = b[i + 1]!;
    if (b1 < lo || b1 > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Counts '\n' bytes in b[0, end). */
function newlinesBefore(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** "line L, byte C" of offset `at` in bytes whose first line is `firstLine`. */
function where(b: Uint8Array, at: number, firstLine: number): string {
  const start = b.lastIndexOf(10, at - 1) + 1;
  return `${firstLine + newlinesBefore(b, at)}: byte ${at - start + 1} of the line`;
}

/** Invalid UTF-8 lines met in `replace` mode, for the note at the end of an input. */
export interface Replaced {
  lines: number;
  first: number;
}

/**
 * Decodes bytes that hold whole lines (the first one numbered `firstLine`) under `policy`: NUL bytes and invalid
 * UTF-8 are INVALID_INPUT errors naming `name` and the line, or (replace) counted into `replaced`.
 */
export function decodeLines(
  b: Uint8Array,
  name: string,
  firstLine: number,
  replaced: Replaced,
  policy: InputPolicy,
): string {
  if (!policy.binaryOk) {
    const nul = b.indexOf(0);
    if (nul >= 0)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${name}:${where(b, nul, firstLine)} is a NUL byte: this does not look like a text file. Give a text file ` +
          `(one text per line), or pass --binary-ok to read NUL bytes as text.`,
      );
  }
  try {
    return fatal.decode(b);
  } catch {
    // located below
  }
  const bad = firstInvalidUtf8(b);
  if (policy.encodingErrors === 'strict')
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${name}:${where(b, Math.max(0, bad), firstLine)} is not valid UTF-8 (0x${(b[bad] ?? 0).toString(16).padStart(2, '0')}). ` +
        `Convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8), or pass --encoding-errors replace to read each bad ` +
        `sequence as U+FFFD.`,
    );
  for (let at = bad; at >= 0;) {
    const line = firstLine + newlinesBefore(b, at);
    if (replaced.lines === 0) replaced.first = line;
    replaced.lines++;
    const next = b.indexOf(10, at);
    at = next < 0 ? -1 : firstInvalidUtf8(b, next + 1);
  }
  return lenient.decode(b);
}

/** The note for stderr after an input read with --encoding-errors replace ('' when nothing was replaced). */
export function replacedNote(name: string, r: Replaced): string {
  if (r.lines === 0) return '';
  return (
    `note: ${name}: ${r.lines} line${r.lines === 1 ? '' : 's'} held invalid UTF-8 (first: line ${r.first}); each bad ` +
    'sequence was read as U+FFFD (--encoding-errors replace).'
  );
}

/** A whole text file's bytes as a string (decodeLines under `policy`; the BOM dropped, the replace note on stderr). */
export function decodeText(b: Uint8Array, name: string, policy: InputPolicy): string {
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  const replaced: Replaced = { lines: 0, first: 0 };
  const text = decodeLines(bom ? b.subarray(3) : b, name, 1, replaced, policy);
  const note = replacedNote(name, replaced);
  if (note) process.stderr.write(note + '\n');
  return text;
}
