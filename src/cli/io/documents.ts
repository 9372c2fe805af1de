/** Documents for chunking: a text file (one document), a folder of them, or JSONL (one document per line). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { fromSystemError } from '../cli-errors.js';
import { readInputFile } from './input.js';

export interface Doc {
  /** what the chunks name it by: the file path, or a JSONL line's id (else FILE:LINE) */
  name: string;
  text: string;
}

const utf8 = new TextDecoder('utf-8');

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

/** The documents of `input` (a file, a folder, or "-" for stdin as one document), in order. */
export function readDocuments(input: string, field = 'text'): Doc[] {
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
  for (const f of files) {
    const text = utf8.decode(readInputFile(f));
    if (f.endsWith('.jsonl')) jsonlDocs(f, text, field, out);
    else out.push({ name: input === '-' ? '-' : f, text });
  }
  return out;
}
