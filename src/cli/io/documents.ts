/** Documents for chunking: a text file (one document), a folder of them, or JSONL (one document per line). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { fromSystemError } from '../cli-errors.js';
import type { InputPolicy } from './input-policy.js';
import { noTextsError, readTextFile } from './input.js';

export interface Doc {
  /** what the chunks name it by: the file path, or a JSONL line's id (else FILE:LINE) */
  name: string;
  text: string;
}

/** Files of a folder and its subfolders, sorted, without hidden ones. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function jsonlDocs(path: string, text: string, field: string, out: Doc[]): void {
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (cause) {
      throw new StaticEmbedError('INVALID_INPUT', `${path}:${i + 1}: not valid JSON (${(cause as Error).message}).`, {
        cause,
      });
    }
    const o = obj as Record<string, unknown> | null;
    const t = o?.[field];
    if (typeof t !== 'string')
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${path}:${i + 1}: expected an object with a string "${field}" field (--field), got ${JSON.stringify(line.slice(0, 60))}.`,
      );
    const id = o?.id;
    out.push({ name: typeof id === 'string' || typeof id === 'number' ? String(id) : `${path}:${i + 1}`, text: t });
  });
}

/**
 * The documents of `input` (a file, a folder, or "-" for stdin as one document), in order, decoded under `policy`.
 * Input without any text is INVALID_INPUT, as in every command (`option` names the input in the message).
 */
export function readDocuments(input: string, policy: InputPolicy, field = 'text', option = '--input'): Doc[] {
  let files: string[];
  if (input === '-') files = ['/dev/stdin'];
  else {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (cause) {
      throw fromSystemError(cause, input) ?? cause;
    }
    files = isDir ? filesUnder(input) : [input];
  }
  const out: Doc[] = [];
  let lines = 0;
  for (const f of files) {
    const text = readTextFile(f, policy);
    lines += text.split('\n').length - (text.endsWith('\n') || text === '' ? 1 : 0);
    if (f.endsWith('.jsonl')) jsonlDocs(f, text, field, out);
    else out.push({ name: input === '-' ? '-' : f, text });
  }
  if (!out.some((d) => d.text.trim() !== '')) {
    const name = `${option} ${input === '-' ? 'stdin' : input}`;
    if (files.length === 0)
      throw new StaticEmbedError(
        'INVALID_INPUT',
        `${name} holds no files: give a text file, a .jsonl file with one {"${field}": ...} document per line, or a folder of them.`,
      );
    throw noTextsError(name, lines);
  }
  return out;
}
