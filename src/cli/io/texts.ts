/** Reading all texts of an input file (for commands that need the whole set: search corpora, mining, clustering). */
import { StaticEmbedError } from '../../errors.js';
import { truncateToWidth } from './display-width.js';
import { readTextBatches } from './input.js';

export async function readAllTexts(path: string | undefined, what: string): Promise<string[]> {
  const all: string[] = [];
  for await (const b of readTextBatches(path, 8192)) for (const t of b.texts) all.push(t);
  if (all.length === 0) throw new StaticEmbedError('INVALID_INPUT', `${what} ${path ?? 'stdin'} holds no texts.`);
  return all;
}

/** The non-empty texts of a file with their 0-based line indices; blank lines (empty or only whitespace) are skipped. */
export interface LinedTexts {
  texts: string[];
  /** lineOf[i] is the 0-based line index of texts[i] in the file */
  lineOf: number[];
  /** 0-based indices of the skipped blank lines */
  skipped: number[];
}

export async function readNonEmptyTexts(path: string | undefined, what: string): Promise<LinedTexts> {
  const r: LinedTexts = { texts: [], lineOf: [], skipped: [] };
  let i = 0;
  for await (const b of readTextBatches(path, 8192)) {
    for (const t of b.texts) {
      if (t.trim() === '') r.skipped.push(i);
      else {
        r.texts.push(t);
        r.lineOf.push(i);
      }
      i++;
    }
  }
  if (r.texts.length === 0)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${what} ${path ?? 'stdin'} holds no texts${i > 0 ? ` (only ${i} blank line${i === 1 ? '' : 's'})` : ''}.`,
    );
  return r;
}

/** "skipped 2 blank lines of FILE (lines 3, 7)" with 1-based line numbers, or '' when none were skipped. */
export function skippedNote(r: LinedTexts, path: string | undefined): string {
  if (r.skipped.length === 0) return '';
  const shown = r.skipped
    .slice(0, 10)
    .map((i) => i + 1)
    .join(', ');
  return (
    `Skipped ${r.skipped.length} blank line${r.skipped.length === 1 ? '' : 's'} of ${path ?? 'stdin'} ` +
    `(line${r.skipped.length === 1 ? '' : 's'} ${shown}${r.skipped.length > 10 ? ', …' : ''}); line numbers refer to the file.`
  );
}

/** A text on one line: runs of whitespace (newlines, tabs) become one space, ends trimmed. */
export function flatten(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A text on one line, at most `n` terminal columns wide (cut with "…"; CJK and emoji count two columns). */
export function clip(s: string, n = 70): string {
  return truncateToWidth(flatten(s), n);
}
