/**
 * One file over `fetch` (browsers, Web Workers, edge runtimes, Node): the body read chunk by chunk with progress,
 * an AbortSignal, timeouts and a size cap; every failure a typed StaticEmbedError (see docs/security.md).
 */
import { StaticEmbedError } from '../../errors.js';
import type { DownloadProgress } from '../../model/hub-options.js';
import {
  MAX_METADATA_BYTES,
  linkedAbort,
  sizeHeader,
  stallTimedChunks,
  timeoutError,
  tooLargeError,
  within,
  type DownloadLimits,
  type TimeoutKind,
} from './limits.js';

export interface DownloadContext {
  fetch: typeof fetch;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  onProgress: ((p: DownloadProgress) => void) | undefined;
  /** what the user asked for, for messages ("owner/name@main" or a URL) */
  what: string;
  /** a hint appended to 401/403 errors */
  authHint: string;
  limits: DownloadLimits;
  /** files the server answered with a web page (an SPA fallback): filled by download, named in errors */
  htmlAnswers?: string[];
}

/** Throws ABORTED when the signal has fired. */
export function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw aborted(signal);
}

function aborted(signal: AbortSignal): StaticEmbedError {
  return new StaticEmbedError('ABORTED', 'Loading the model was aborted (the AbortSignal fired).', {
    cause: signal.reason,
  });
}

/** An answer (or null for 404) with its abort controller's unhook; `kind` picks the timeout of the headers. */
async function open(
  ctx: DownloadContext,
  url: string,
  path: string,
  kind: TimeoutKind,
): Promise<{ res: Response | null; abort: AbortController; done: () => void }> {
  checkAborted(ctx.signal);
  const ms = kind === 'metadata' ? ctx.limits.etagTimeoutMs : ctx.limits.downloadTimeoutMs;
  let res: Response | undefined;
  // one retry: a request that fails before any answer is often a kept-alive connection the server just closed
  for (let attempt = 0; ; attempt++) {
    const { controller, done } = linkedAbort(ctx.signal);
    try {
      const fetched = ctx.fetch(url, { headers: ctx.headers, signal: controller.signal });
      res = await within(
        fetched,
        ms,
        () => timeoutError(kind, url, ms, `${path} of ${ctx.what}`),
        () => controller.abort(),
      );
    } catch (cause) {
      done();
      if (cause instanceof StaticEmbedError) throw cause;
      if (ctx.signal?.aborted) throw aborted(ctx.signal);
      if (attempt === 0) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      throw new StaticEmbedError(
        'NETWORK_ERROR',
        `Cannot fetch ${path} of ${ctx.what} from ${url}: ${(cause as Error).message}. ` +
          'Check the network, the URL or endpoint, and (in a browser) that the server allows cross-origin requests (CORS).',
        { cause },
      );
    }
    try {
      return { res: await checkStatus(ctx, res, url, path), abort: controller, done };
    } catch (e) {
      done();
      throw e;
    }
  }
}

/** The response when it is a success, null for 404, a typed error for the rest. */
async function checkStatus(ctx: DownloadContext, res: Response, url: string, path: string): Promise<Response | null> {
  if (res.ok) return res;
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 404) return null;
  if (res.status === 401 || res.status === 403)
    throw new StaticEmbedError(
      'UNAUTHORIZED',
      `${url} answered ${res.status} for ${path} of ${ctx.what}: no access. ${ctx.authHint}`,
    );
  throw new StaticEmbedError(
    'NETWORK_ERROR',
    `${url} answered ${res.status} ${res.statusText} for ${path} of ${ctx.what}.`,
  );
}

/**
 * The size a body will have, when the answer says so in a way that binds: Content-Length of an answer that is not
 * content-encoded (a browser hides the encoding of cross-origin answers, so theirs only counts toward progress).
 */
function boundSize(res: Response, total: number | undefined): number | undefined {
  if (total === undefined || res.type === 'cors' || res.type === 'opaque') return undefined;
  const enc = res.headers.get('content-encoding');
  return enc === null || enc === 'identity' ? total : undefined;
}

/** A web page where a model file was expected: a dev server's SPA fallback answers every unknown path with one. */
function isHtml(res: Response, path: string): boolean {
  return !/\.html?$/i.test(path) && /^\s*text\/html\b/i.test(res.headers.get('content-type') ?? '');
}

/** JSON never starts with "<": an HTML page served without a type (or as JSON). */
const looksLikeHtml = (b: Uint8Array, path: string): boolean => path.endsWith('.json') && b[0] === 0x3c;

/**
 * The bytes of a file, or null when the server says 404 or (for a model file) answers a web page instead, which
 * is recorded in `ctx.htmlAnswers` for the error that names it. Metadata answers have their own timeout and a
 * smaller cap.
 */
export async function download(
  ctx: DownloadContext,
  url: string,
  path: string,
  kind: TimeoutKind = 'download',
): Promise<Uint8Array | null> {
  const { res, abort, done } = await open(ctx, url, path, kind);
  if (!res) return null;
  try {
    if (kind === 'download' && isHtml(res, path)) {
      await res.body?.cancel().catch(() => undefined);
      (ctx.htmlAnswers ??= []).push(path);
      return null;
    }
    const bytes = await readBody(ctx, res, abort, url, path, kind);
    if (kind === 'download' && looksLikeHtml(bytes, path)) {
      (ctx.htmlAnswers ??= []).push(path);
      return null;
    }
    return bytes;
  } finally {
    done();
  }
}

async function readBody(
  ctx: DownloadContext,
  res: Response,
  abort: AbortController,
  url: string,
  path: string,
  kind: TimeoutKind,
): Promise<Uint8Array> {
  const total = sizeHeader(res.headers.get('content-length'));
  const cap = kind === 'metadata' ? Math.min(MAX_METADATA_BYTES, ctx.limits.maxBytes) : ctx.limits.maxMemoryBytes;
  const bound = boundSize(res, total);
  const what = `${path} of ${ctx.what}`;
  if ((bound ?? total ?? 0) > cap) {
    abort.abort();
    throw tooLargeError(url, what, `the server announces ${bound ?? total} bytes, more than the ${cap}-byte cap`);
  }
  const limit = bound ?? cap;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const report = (): void =>
    ctx.onProgress?.({
      file: path,
      url,
      loaded,
      total: total === undefined ? undefined : Math.max(total, loaded),
      cached: false,
    });
  report();
  const ms = kind === 'metadata' ? ctx.limits.etagTimeoutMs : ctx.limits.downloadTimeoutMs;
  const tooLarge = (n: number): StaticEmbedError =>
    tooLargeError(
      url,
      what,
      bound !== undefined
        ? `the body went past its Content-Length of ${bound} bytes`
        : `the body went past the ${cap}-byte cap (${n} bytes received)`,
    );
  try {
    if (res.body) {
      const stalled = (): StaticEmbedError => timeoutError(kind, url, ms, what);
      for await (const v of stallTimedChunks(res.body, ms, limit, stalled, tooLarge)) {
        chunks.push(v);
        loaded += v.length;
        report();
      }
    }
  } catch (cause) {
    abort.abort();
    if (cause instanceof StaticEmbedError) throw cause;
    if (ctx.signal?.aborted) throw aborted(ctx.signal);
    throw truncated(url, path, loaded, total, (cause as Error).message, cause);
  }
  // a compressed transfer may decode to more bytes than Content-Length; fewer means the body was cut
  if (total !== undefined && loaded < total) throw truncated(url, path, loaded, total, 'Content-Length mismatch');
  return concat(chunks, loaded, url, what);
}

function truncated(
  url: string,
  path: string,
  loaded: number,
  total: number | undefined,
  why: string,
  cause?: unknown,
): StaticEmbedError {
  return new StaticEmbedError(
    'TRUNCATED_DOWNLOAD',
    `The download of ${path} from ${url} stopped after ${loaded} of ${total ?? 'an unknown number of'} bytes (${why}); ` +
      'the connection dropped or the server sent less than it announced. Nothing was cached; try again.',
    cause === undefined ? undefined : { cause },
  );
}

/** The chunks in one buffer of exactly `n` bytes (allocated only now, from what arrived). */
function concat(chunks: Uint8Array[], n: number, url: string, what: string): Uint8Array {
  const one = chunks.length === 1 ? chunks[0]! : undefined;
  if (one && one.byteOffset === 0 && one.byteLength === one.buffer.byteLength) return one;
  let out: Uint8Array;
  try {
    out = new Uint8Array(n);
  } catch (cause) {
    throw new StaticEmbedError('DOWNLOAD_TOO_LARGE', `${url} (${what}): ${n} bytes do not fit in memory here.`, {
      cause,
    });
  }
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
