/**
 * Reading a request body safely: a byte limit checked against Content-Length and while streaming, strict UTF-8,
 * a nesting-depth limit checked before JSON.parse (so deeply nested input cannot exhaust the stack), and a
 * typed error for each failure.
 */
import { StaticEmbedError } from '../errors.js';

/** JSON nesting allowed in a request (the APIs need 3). */
export const MAX_JSON_DEPTH = 32;

export async function readBody(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(Number(declared), maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let r: ReadableStreamReadResult<Uint8Array>;
    try {
      r = await reader.read();
    } catch {
      throw new StaticEmbedError(
        'INVALID_INPUT',
        'The request body could not be read to its end (the connection was closed or timed out).',
      );
    }
    const { done, value } = r;
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge(total, maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function tooLarge(bytes: number, max: number): StaticEmbedError {
  return new StaticEmbedError(
    'PAYLOAD_TOO_LARGE',
    `The request body has ${bytes >= max ? `more than ${max}` : bytes} bytes; the limit is ${max} bytes (--max-body-bytes). Send fewer or shorter inputs per request.`,
  );
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as JSON: UTF-8 (strict), nesting ≤ MAX_JSON_DEPTH. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.length === 0)
    throw new StaticEmbedError(
      'INVALID_JSON',
      'The request body is empty; send a JSON object, e.g. {"input": "some text"}.',
    );
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new StaticEmbedError('INVALID_INPUT', 'The request body is not valid UTF-8; encode the JSON as UTF-8.');
  }
  checkDepth(text);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new StaticEmbedError('INVALID_JSON', `The request body is not valid JSON (${(e as Error).message}).`);
  }
}

/** Rejects JSON nested deeper than MAX_JSON_DEPTH (brackets outside strings). */
function checkDepth(text: string): void {
  let depth = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_JSON_DEPTH)
        throw new StaticEmbedError(
          'INVALID_JSON',
          `The request JSON is nested more than ${MAX_JSON_DEPTH} levels deep; the API needs at most 3.`,
        );
    } else if (c === 93 || c === 125) depth--;
  }
}
