/**
 * Reading a request body safely: decoding, byte limit, memory budget, abort, UTF-8 and JSON depth.
 * See ARCHITECTURE.md, "Server defences".
 */
import { StaticEmbedError } from '../errors.js';
import type { Lease } from './budget.js';

/** JSON nesting allowed in a request (the APIs need 3). */
export const MAX_JSON_DEPTH = 32;

/** The DecompressionStream format of a Content-Encoding header; null for none. */
function decodingOf(header: string | null): CompressionFormat | null {
  const e = (header ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return null;
  if (e === 'gzip' || e === 'x-gzip') return 'gzip';
  if (e === 'deflate') return 'deflate';
  throw new StaticEmbedError(
    'UNSUPPORTED_MEDIA_TYPE',
    `Content-Encoding "${e.slice(0, 50)}" is not supported; send the body uncompressed, gzip or deflate.`,
  );
}

export async function readBody(req: Request, maxBytes: number, lease?: Lease): Promise<Uint8Array> {
  const format = decodingOf(req.headers.get('content-encoding'));
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(Number(declared), maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = (format ? req.body.pipeThrough(new DecompressionStream(format)) : req.body).getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  req.signal.addEventListener('abort', cancel, { once: true });
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch {
        if (format && !req.signal.aborted)
          throw new StaticEmbedError(
            'INVALID_INPUT',
            `The request body could not be decoded as ${format} (Content-Encoding); send valid ${format} data or no Content-Encoding.`,
          );
        throw new StaticEmbedError(
          'INVALID_INPUT',
          'The request body could not be read to its end (the connection was closed or timed out).',
        );
      }
      const { done, value } = r;
      // cancelled by the abort: what came so far is not the body
      if (req.signal.aborted)
        throw new StaticEmbedError(
          'INVALID_INPUT',
          'The request body could not be read to its end (the connection was closed or timed out).',
        );
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        cancel();
        throw tooLarge(total, maxBytes, format);
      }
      try {
        lease?.reserve(value.length, 'the request body');
      } catch (e) {
        cancel();
        throw e;
      }
      chunks.push(value);
    }
  } finally {
    req.signal.removeEventListener('abort', cancel);
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

function tooLarge(bytes: number, max: number, format: string | null = null): StaticEmbedError {
  return new StaticEmbedError(
    'PAYLOAD_TOO_LARGE',
    `The request body has ${bytes >= max ? `more than ${max}` : bytes} bytes${format ? ` once decoded (${format})` : ''}; ` +
      `the limit is ${max} bytes (--max-body-bytes). Send fewer or shorter inputs per request.`,
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
