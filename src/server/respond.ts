/** Responses of the server: JSON, the two error shapes (OpenAI and TEI), status codes of error codes, base64. */
import { StaticEmbedError, type ErrorCode } from '../errors.js';
import type { OpenAIErrorBody, TeiErrorBody } from './schema.js';

/**
 * The text of each response built here, so an adapter can write it to the socket directly instead of reading
 * the Response's body stream back (one copy and a stream less per request; the Node adapter does).
 */
export const responseText = new WeakMap<Response, string>();

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return rawJson(JSON.stringify(body), status, headers);
}

/** A JSON body already serialized (embeddings are written by hand for speed). */
export function rawJson(text: string, status = 200, headers: Record<string, string> = {}): Response {
  const r = new Response(text, { status, headers: { 'content-type': 'application/json', ...headers } });
  responseText.set(r, text);
  return r;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_JSON: 400,
  INVALID_INPUT: 400,
  INVALID_ARGUMENT: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  PAYLOAD_TOO_LARGE: 413,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_READY: 503,
  OVERLOADED: 503,
};

export function statusOf(e: unknown): number {
  return e instanceof StaticEmbedError ? (STATUS[e.code] ?? 500) : 500;
}

/** Client errors keep their message; anything else is reported without internals. */
function messageOf(e: unknown): string {
  return e instanceof StaticEmbedError && (statusOf(e) < 500 || e.code === 'NOT_READY' || e.code === 'OVERLOADED')
    ? e.message
    : 'Internal server error.';
}

export function openAIError(e: unknown): Response {
  const status = statusOf(e);
  const code = e instanceof StaticEmbedError ? e.code : 'INTERNAL';
  const body: OpenAIErrorBody = {
    error: {
      message: messageOf(e),
      type: status === 401 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
      param: (e as { param?: string }).param ?? null,
      code:
        status === 401
          ? 'invalid_api_key'
          : status === 404 && (e as { param?: string }).param === 'model'
            ? 'model_not_found'
            : code.toLowerCase(),
    },
  };
  return json(
    body,
    status,
    status === 503
      ? { 'retry-after': '1' }
      : status === 405
        ? { allow: (e as { allow?: string }).allow ?? 'POST' }
        : {},
  );
}

const TEI_TYPE: Record<number, string> = {
  400: 'Validation',
  401: 'Unauthorized',
  404: 'NotFound',
  405: 'Validation',
  413: 'Validation',
  415: 'Validation',
  503: 'Unhealthy',
};
const teiType = (e: unknown, status: number) =>
  e instanceof StaticEmbedError && e.code === 'OVERLOADED' ? 'Overloaded' : (TEI_TYPE[status] ?? 'Backend');

export function teiError(e: unknown): Response {
  const status = statusOf(e);
  const body: TeiErrorBody = { error: messageOf(e), error_type: teiType(e, status) };
  return json(
    body,
    status,
    status === 503
      ? { 'retry-after': '1' }
      : status === 405
        ? { allow: (e as { allow?: string }).allow ?? 'POST' }
        : {},
  );
}

/** A StaticEmbedError that names the request field it is about (OpenAI's `param`). */
export function fieldError(code: ErrorCode, param: string, message: string): StaticEmbedError {
  return Object.assign(new StaticEmbedError(code, message), { param });
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 of bytes (no runtime dependency: Node, Deno, Bun and edge runtimes alike). */
export function base64(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  const parts: string[] = [];
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
    if (out.length >= 8192) {
      parts.push(out);
      out = '';
    }
  }
  if (i < n) {
    const v = (bytes[i]! << 16) | ((i + 1 < n ? bytes[i + 1]! : 0) << 8);
    out += B64[v >> 18]! + B64[(v >> 12) & 63]! + (i + 1 < n ? B64[(v >> 6) & 63]! : '=') + '=';
  }
  parts.push(out);
  return parts.join('');
}

/** Little-endian float32 bytes of a vector (as the OpenAI SDK decodes `encoding_format: "base64"`). */
export function float32Base64(v: Float32Array): string {
  const le = new Uint8Array(v.length * 4);
  const view = new DataView(le.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return base64(le);
}
