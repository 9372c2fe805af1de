/** Streaming text input for CLI commands: `.jsonl` = one {"text": ...} object per line, else one text per line (split on
 * \n only, as the reference scripts read files); `-` or no path is stdin. Batches keep memory bounded. */
import { createReadStream, readFileSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import { fromSystemError } from '../cli-errors.js';
import { decodeLines, decodeText, replacedNote, type Replaced } from './decode.js';
import type { InputPolicy } from './input-policy.js';

export interface TextBatch {
  texts: string[];
  /** 1-based line number of texts[0] */
  firstLine: number;
}

/** A whole input file; a missing or unreadable one is the CLI's usual IO_ERROR (the path and the fix). */
export function readInputFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw fromSystemError(cause, path) ?? cause;
  }
}

/** A whole text file as a string, under the command's input policy (decode.ts). */
export function readTextFile(path: string, policy: InputPolicy): string {
  return decodeText(readInputFile(path), path, policy);
}

/** Splits a byte stream into decoded lines (decode.ts's checks, with line numbers), carrying a partial last line. */
class LineSplitter {
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private started = false;
  /** 1-based number of the next line */
  line = 1;
  readonly replaced: Replaced = { lines: 0, first: 0 };
  constructor(
    readonly name: string,
    private readonly policy: InputPolicy,
  ) {}

  /** The lines completed by `chunk` (up to its last '\n'). */
  push(chunk: Uint8Array): string[] {
    const nl = chunk.lastIndexOf(10);
    if (nl < 0) {
      this.carry.push(chunk);
      this.carryBytes += chunk.length;
      return [];
    }
    const head = this.take(chunk.subarray(0, nl + 1));
    const rest = chunk.subarray(nl + 1);
    if (rest.length > 0) {
      this.carry.push(rest);
      this.carryBytes = rest.length;
    }
    return this.decode(head, true);
  }

  /** The last line (without a final '\n'), if any. */
  end(): string[] {
    return this.carryBytes > 0 ? this.decode(this.take(new Uint8Array(0)), false) : [];
  }

  /** The carried bytes and `tail` as one array (one copy, however many chunks a long line took). */
  private take(tail: Uint8Array): Uint8Array {
    if (this.carry.length === 0) return tail;
    const all = new Uint8Array(this.carryBytes + tail.length);
    let at = 0;
    for (const c of this.carry) {
      all.set(c, at);
      at += c.length;
    }
    all.set(tail, at);
    this.carry = [];
    this.carryBytes = 0;
    return all;
  }

  private decode(b: Uint8Array, endsWithNewline: boolean): string[] {
    if (!this.started) {
      this.started = true;
      if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
    }
    const lines = decodeLines(b, this.name, this.line, this.replaced, this.policy).split('\n');
    if (endsWithNewline) lines.pop();
    this.line += lines.length;
    return lines;
  }
}

/** The error of an input without any text line (the same in every command). */
export function noTextsError(name: string, blankLines: number): StaticEmbedError {
  return new StaticEmbedError(
    'INVALID_INPUT',
    `${name} holds no texts (${blankLines === 0 ? 'it is empty' : `only ${blankLines} blank line${blankLines === 1 ? '' : 's'}`}): ` +
      'give a file with one text per line (or a .jsonl file with one {"text": ...} object per line).',
  );
}

/**
 * Batches of texts from a file or stdin, decoded under `policy`: every line a text (blank ones too, except in .jsonl);
 * an input without a non-blank line is INVALID_INPUT. `option` names the input in messages (e.g. "--corpus").
 */
export async function* readTextBatches(
  path: string | undefined,
  policy: InputPolicy,
  batchLines = 8192,
  field = 'text',
  option?: string,
): AsyncGenerator<TextBatch> {
  const jsonl = path !== undefined && path.endsWith('.jsonl');
  const name = path === undefined || path === '-' ? 'stdin' : path;
  const label = option ? `${option} ${name}` : name;
  const split = new LineSplitter(name, policy);
  const held: TextBatch[] = [];
  let batch: TextBatch = { texts: [], firstLine: 1 };
  let seenText = false;
  const take = (lines: string[], first: number): void => {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (jsonl) {
        if (l.trim() === '') continue;
        batch.texts.push(jsonlText(l, name, first + i, field));
        seenText = true;
      } else {
        batch.texts.push(l);
        if (!seenText && l.trim() !== '') seenText = true;
      }
      if (batch.texts.length >= batchLines) {
        held.push(batch);
        batch = { texts: [], firstLine: first + i + 1 };
      }
    }
  };
  for await (const chunk of readChunks(path, name)) {
    const first = split.line;
    take(split.push(chunk), first);
    if (seenText) yield* held.splice(0);
  }
  const first = split.line;
  take(split.end(), first);
  if (batch.texts.length > 0) held.push(batch);
  if (!seenText) throw noTextsError(label, split.line - 1);
  yield* held.splice(0);
  const note = replacedNote(name, split.replaced);
  if (note) process.stderr.write(note + '\n');
}

/** The raw chunks of a file or stdin; read errors as the CLI's IO_ERROR. */
async function* readChunks(path: string | undefined, name: string): AsyncGenerator<Uint8Array> {
  const stream =
    path === undefined || path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (cause) {
    if (cause instanceof StaticEmbedError) throw cause;
    throw (
      fromSystemError(cause, name) ??
      new StaticEmbedError('IO_ERROR', `Cannot read ${name}: ${(cause as Error).message}.`, { cause })
    );
  }
}

/** The `field` string of one .jsonl line. */
function jsonlText(l: string, path: string, line: number, field: string): string {
  let obj: unknown;
  try {
    obj = JSON.parse(l);
  } catch (cause) {
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${path}:${line}: not valid JSON (${(cause as Error).message}); each line of a .jsonl input must be an object like {"${field}": "..."}.`,
      { cause },
    );
  }
  const text = (obj as Record<string, unknown> | null)?.[field];
  if (typeof text !== 'string')
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${path}:${line}: expected an object with a string "${field}" field, got ${JSON.stringify(l.slice(0, 60))}.`,
    );
  return text;
}
