/**
 * Responses of the server: JSON, streamed bodies, the two error shapes (OpenAI and TEI, each with its API's status
 * codes), base64.
 */
import { StaticEmbedError, type ErrorCode } from '../errors.js';
import type { OpenAIErrorBody, TeiErrorBody } from './schema.js';
import type { BodySource } from './serialize.js';

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

/**
 * The body of a streamed response, so an adapter can write its slices with backpressure (the Node adapter does);
 * other runtimes read the Response's own stream, which pulls the same slices.
 */
export const responseSource = new WeakMap<Response, BodySource>();

/** A 200 response whose body comes from `src` slice by slice (each made when the previous one was read). */
export function streamed(src: BodySource, contentType = 'application/json'): Response {
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(c) {
        try {
          const slice = await src.next();
          if (slice === null) {
            src.close();
            c.close();
          } else c.enqueue(slice);
        } catch (e) {
          src.close();
          c.error(e);
        }
      },
      cancel() {
        src.close();
      },
    },
    { highWaterMark: 0 },
  );
  const r = new Response(stream, { headers: { 'content-type': contentType } });
  responseSource.set(r, src);
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

/** Which API's status codes: OpenAI's routes answer 400 to a request field over a limit and 503 when overloaded; TEI's 413 and 429. */
export type Api = 'openai' | 'tei';

export function statusOf(e: unknown, api: Api = 'openai'): number {
  if (!(e instanceof StaticEmbedError)) return 500;
  if (e.code === 'OVERLOADED' && api === 'tei') return 429;
  // a field over a limit (too many inputs, an input too long): OpenAI answers 400; a body too large stays 413
  if (e.code === 'PAYLOAD_TOO_LARGE' && api === 'openai' && (e as { param?: string }).param !== undefined) return 400;
  return STATUS[e.code] ?? 500;
}

/** Retry-After on 503 and 429, Allow on 405. */
function errorHeaders(e: unknown, status: number): Record<string, string> {
  if (status === 503 || status === 429) return { 'retry-after': '1' };
  if (status === 405) return { allow: (e as { allow?: string }).allow ?? 'POST' };
  return {};
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
  return json(body, status, errorHeaders(e, status));
}

const TEI_TYPE: Record<number, string> = {
  400: 'Validation',
  401: 'Unauthorized',
  404: 'NotFound',
  405: 'Validation',
  413: 'Validation',
  415: 'Validation',
  429: 'Overloaded',
  503: 'Unhealthy',
};
const teiType = (e: unknown, status: number) =>
  e instanceof StaticEmbedError && e.code === 'OVERLOADED' ? 'Overloaded' : (TEI_TYPE[status] ?? 'Backend');

export function teiError(e: unknown): Response {
  const status = statusOf(e, 'tei');
  const body: TeiErrorBody = { error: messageOf(e), error_type: teiType(e, status) };
  return json(body, status, errorHeaders(e, status));
}

/** A StaticEmbedError that names the request field it is about (OpenAI's `param`). */
export function fieldError(code: ErrorCode, param: string, message: string): StaticEmbedError {
  return Object.assign(new StaticEmbedError(code, message), { param });
}
