/**
 * One file over `fetch` (browsers, Web Workers, edge runtimes, Node): the body read chunk by chunk with
 * progress, an AbortSignal, and every failure a typed StaticEmbedError — NOT_FOUND / UNAUTHORIZED for 404 and
 * 401/403, NETWORK_ERROR when the server cannot be reached or answers an error, TRUNCATED_DOWNLOAD when the body
 * ends (or the connection drops) before Content-Length bytes, ABORTED when the signal fires.
 */
import { StaticEmbedError } from '../../errors.js';
import type { DownloadProgress } from '../../model/hub-options.js';

export interface DownloadContext {
  fetch: typeof fetch;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  onProgress: ((p: DownloadProgress) => void) | undefined;
  /** what the user asked for, for messages ("owner/name@main" or a URL) */
  what: string;
  /** a hint appended to 401/403 errors */
  authHint: string;
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

/** A GET that reached the server, or a typed error; `null` for a 404 (the caller decides what a missing file means). */
export async function request(ctx: DownloadContext, url: string, path: string): Promise<Response | null> {
  checkAborted(ctx.signal);
  let res: Response | undefined;
  // one retry: a request that fails before any answer is often a kept-alive connection the server just closed
  for (let attempt = 0; !res; attempt++) {
    try {
      res = await ctx.fetch(url, { headers: ctx.headers, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch (cause) {
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
  }
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    return null;
  }
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel().catch(() => undefined);
    throw new StaticEmbedError(
      'UNAUTHORIZED',
      `${url} answered ${res.status} for ${path} of ${ctx.what}: no access. ${ctx.authHint}`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `${url} answered ${res.status} ${res.statusText} for ${path} of ${ctx.what}.`,
    );
  }
  return res;
}

/** A web page where a model file was expected: a dev server's SPA fallback answers every unknown path with one. */
function isHtml(res: Response, path: string): boolean {
  return !/\.html?$/i.test(path) && /^\s*text\/html\b/i.test(res.headers.get('content-type') ?? '');
}

/** JSON never starts with "<": an HTML page served without a type (or as JSON). */
const looksLikeHtml = (b: Uint8Array, path: string): boolean => path.endsWith('.json') && b[0] === 0x3c;

/**
 * The bytes of a file, or `null` when the server says 404 or answers a web page instead (recorded in
 * `ctx.htmlAnswers`, for the error that names it).
 */
export async function download(ctx: DownloadContext, url: string, path: string): Promise<Uint8Array | null> {
  const res = await request(ctx, url, path);
  if (!res) return null;
  if (isHtml(res, path)) {
    await res.body?.cancel().catch(() => undefined);
    (ctx.htmlAnswers ??= []).push(path);
    return null;
  }
  const bytes = await readBody(ctx, res, url, path);
  if (looksLikeHtml(bytes, path)) {
    (ctx.htmlAnswers ??= []).push(path);
    return null;
  }
  return bytes;
}

/** A response's body, chunk by chunk with progress; TRUNCATED_DOWNLOAD when it ends before Content-Length. */
async function readBody(ctx: DownloadContext, res: Response, url: string, path: string): Promise<Uint8Array> {
  const header = res.headers.get('content-length');
  const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
  let buf = new Uint8Array(total ?? 1 << 16);
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
  const truncated = (why: string, cause?: unknown): StaticEmbedError =>
    new StaticEmbedError(
      'TRUNCATED_DOWNLOAD',
      `The download of ${path} from ${url} stopped after ${loaded} of ${total ?? 'an unknown number of'} bytes (${why}); ` +
        'the connection dropped or the server sent less than it announced. Nothing was cached; try again.',
      cause === undefined ? undefined : { cause },
    );
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        if (ctx.signal?.aborted) throw aborted(ctx.signal);
        throw truncated((cause as Error).message, cause);
      }
      if (chunk.done) break;
      const v = chunk.value;
      if (loaded + v.length > buf.length) {
        const bigger = new Uint8Array(Math.max(buf.length * 2, loaded + v.length));
        bigger.set(buf.subarray(0, loaded));
        buf = bigger;
      }
      buf.set(v, loaded);
      loaded += v.length;
      report();
    }
  }
  // a compressed transfer may decode to more bytes than Content-Length; fewer means the body was cut
  if (total !== undefined && loaded < total) throw truncated('Content-Length mismatch');
  return loaded === buf.length ? buf : buf.slice(0, loaded);
}
