/** Reading all texts of an input file (for commands that need the whole set: search corpora, mining, clustering). */
import { displayWidth, truncateToWidth } from './display-width.js';
import type { InputPolicy } from './input-policy.js';
import { noTextsError, readTextBatches } from './input.js';

/** `option`: the option that names the file (e.g. "--input"), for the messages; `policy`: the command's input policy. */
export async function readAllTexts(path: string | undefined, option: string, policy: InputPolicy): Promise<string[]> {
  const all: string[] = [];
  for await (const b of readTextBatches(path, policy, 8192, 'text', option)) for (const t of b.texts) all.push(t);
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

export async function readNonEmptyTexts(
  path: string | undefined,
  option: string,
  policy: InputPolicy,
): Promise<LinedTexts> {
  const r: LinedTexts = { texts: [], lineOf: [], skipped: [] };
  let i = 0;
  for await (const b of readTextBatches(path, policy, 8192, 'text', option)) {
    for (const t of b.texts) {
      if (t.trim() === '') r.skipped.push(i);
      else {
        r.texts.push(t);
        r.lineOf.push(i);
      }
      i++;
    }
  }
  // a .jsonl file whose texts are all blank
  if (r.texts.length === 0) throw noTextsError(`${option} ${path ?? 'stdin'}`, i);
  return r;
}

/** Blank lines met while streaming: their count and the first ten (0-based), for skippedNote. */
export class SkippedLines {
  count = 0;
  readonly first: number[] = [];
  add(line: number): void {
    if (this.count++ < 10) this.first.push(line);
  }
}

/** "skipped 2 blank lines of FILE (lines 3, 7)" with 1-based line numbers, or '' when none were skipped. */
export function skippedNote(r: LinedTexts | SkippedLines, path: string | undefined): string {
  const count = r instanceof SkippedLines ? r.count : r.skipped.length;
  if (count === 0) return '';
  const shown = (r instanceof SkippedLines ? r.first : r.skipped)
    .slice(0, 10)
    .map((i) => i + 1)
    .join(', ');
  return (
    `Skipped ${count} blank line${count === 1 ? '' : 's'} of ${path ?? 'stdin'} ` +
    `(line${count === 1 ? '' : 's'} ${shown}${count > 10 ? ', …' : ''}); line numbers refer to the file.`
  );
}

/** A text on one line: runs of whitespace (newlines, tabs) become one space, ends trimmed. */
export function flatten(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** A text on one line, at most `n` terminal columns wide (cut with "…"; CJK and emoji count two columns). Only the
 * start of a long text is looked at (a text of megabytes costs no more than a short one). */
export function clip(s: string, n = 70): string {
  const limit = 8 * n + 64;
  if (s.length <= limit) return truncateToWidth(flatten(s), n);
  const head = flatten(s.trimStart().slice(0, limit));
  // whitespace runs so long that the start fits: the whole text then (rare)
  return displayWidth(head) > n ? truncateToWidth(head, n) : truncateToWidth(flatten(s), n);
}
