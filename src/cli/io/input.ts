/**
 * Streaming text input for CLI commands: a `.jsonl` file holds one {"text": ...} object per line, any other
 * file one text per line (split on \n only, as the reference scripts read files); `-` or no path is stdin.
 * Texts arrive in batches so memory stays bounded whatever the input size.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import { fromSystemError } from '../cli-errors.js';

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

export async function* readTextBatches(
  path: string | undefined,
  batchLines = 8192,
  field = 'text',
): AsyncGenerator<TextBatch> {
  const jsonl = path !== undefined && path.endsWith('.jsonl');
  const stream =
    path === undefined || path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let line = 1;
  let batch: string[] = [];
  let batchStart = 1;
  const take = (l: string): void => {
    if (jsonl) {
      if (l.trim() === '') {
        line++;
        return;
      }
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
      if (typeof text !== 'string') {
        throw new StaticEmbedError(
          'INVALID_INPUT',
          `${path}:${line}: expected an object with a string "${field}" field, got ${JSON.stringify(l.slice(0, 60))}.`,
        );
      }
      batch.push(text);
    } else batch.push(l);
    line++;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const s = rest + decoder.decode(chunk, { stream: true });
      let from = 0;
      for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
        take(s.slice(from, nl));
        from = nl + 1;
        if (batch.length >= batchLines) {
          yield { texts: batch, firstLine: batchStart };
          batch = [];
          batchStart = line;
        }
      }
      rest = s.slice(from);
    }
  } catch (cause) {
    if (cause instanceof StaticEmbedError) throw cause;
    throw (
      fromSystemError(cause, path ?? 'stdin') ??
      new StaticEmbedError('IO_ERROR', `Cannot read ${path ?? 'stdin'}: ${(cause as Error).message}.`, { cause })
    );
  }
  rest += decoder.decode();
  if (rest.length > 0) take(rest);
  if (batch.length > 0) yield { texts: batch, firstLine: batchStart };
}
