/** One Hub blob: streamed to `<blob>.incomplete` (resumed, stall-timed, size-capped, sha256-checked), then renamed. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import {
  sizeHeader,
  stallTimedChunks,
  timeoutError,
  tooLargeError,
  within,
  type DownloadLimits,
} from '../web/limits.js';
import { makeFolder } from './make-folder.js';

/** What a blob download needs of the Hub context. */
export interface BlobCtx {
  endpoint: string;
  what: string;
  fetch: typeof fetch;
  limits: DownloadLimits;
  auth: Record<string, string>;
  httpError: (path: string, res: Response) => StaticEmbedError;
}

/** sha256 of a file, streamed in 1 MiB chunks (a blob can be gigabytes: never read whole). */
async function hashFile(path: string, hash: Hash = createHash('sha256')): Promise<Hash> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash;
}

/** A request whose answer (headers) must come within `ms`; any failure a typed error. */
export async function timedRequest(
  ctx: BlobCtx,
  url: string,
  init: RequestInit,
  kind: 'metadata' | 'download',
  path: string,
  abort = new AbortController(),
): Promise<Response> {
  const ms = kind === 'metadata' ? ctx.limits.etagTimeoutMs : ctx.limits.downloadTimeoutMs;
  try {
    return await within(
      ctx.fetch(url, { ...init, signal: abort.signal }),
      ms,
      () => timeoutError(kind, url, ms, `${ctx.what}/${path}`),
      () => abort.abort(),
    );
  } catch (cause) {
    if (cause instanceof StaticEmbedError) throw cause;
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `Cannot reach ${ctx.endpoint} for ${path}: ${(cause as Error).message}. ` +
        'Check the network (or HF_ENDPOINT), or use a local folder / HF_HUB_OFFLINE=1 with a cached model.',
      { cause },
    );
  }
}

/** The size a response's body will have, when it says so and is not content-encoded. */
function bodySize(res: Response): number | undefined {
  const enc = res.headers.get('content-encoding');
  return enc === null || enc === 'identity' ? sizeHeader(res.headers.get('content-length')) : undefined;
}

/**
 * Streams a body into `part` (appending or not), never past `limit` bytes; the hash (if any) sees every byte.
 * TIMEOUT and DOWNLOAD_TOO_LARGE are thrown; other failures (a dropped connection) are returned as a message.
 */
async function streamInto(
  ctx: BlobCtx,
  res: Response,
  part: string,
  append: boolean,
  hash: Hash | undefined,
  limit: number,
  url: string,
  path: string,
): Promise<string | undefined> {
  const ms = ctx.limits.downloadTimeoutMs;
  const announced = bodySize(res);
  if (announced !== undefined && announced > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLargeError(url, `${ctx.what}/${path}`, `the body announces ${announced} bytes, more than ${limit}`);
  }
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  const closed = new Promise<void>((r) => out.once('close', r));
  try {
    if (res.body) {
      const chunks = stallTimedChunks(
        res.body,
        ms,
        limit,
        () => timeoutError('download', url, ms, `${ctx.what}/${path}`),
        (n) => tooLargeError(url, `${ctx.what}/${path}`, `the body went past ${limit} bytes (${n} received)`),
      );
      for await (const chunk of chunks) {
        hash?.update(chunk);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
      }
    }
    await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
    return undefined;
  } catch (e) {
    out.destroy();
    await closed;
    if (e instanceof StaticEmbedError && e.code === 'DOWNLOAD_TOO_LARGE') rmSync(part, { force: true });
    if (e instanceof StaticEmbedError) throw e;
    return (e as Error).message; // interrupted: resume from what we have
  }
}

/**
 * Downloads a blob into `blob.incomplete` (resuming a partial file with a Range request), checks its sha256 (LFS files)
 * while streaming and renames it into place. See ARCHITECTURE.md, "Loading and downloads".
 */
export async function downloadBlob(
  ctx: BlobCtx,
  url: string,
  blob: string,
  size: number | undefined,
  etag: string,
  path: string,
): Promise<void> {
  makeFolder(dirname(blob));
  const part = `${blob}.incomplete`;
  const sameOrigin = new URL(url).origin === new URL(ctx.endpoint).origin;
  const verify = /^[0-9a-f]{64}$/.test(etag);
  const cap = size ?? ctx.limits.maxBytes;
  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    const headers = { ...(sameOrigin ? ctx.auth : {}), ...(have > 0 ? { range: `bytes=${have}-` } : {}) };
    const res = await timedRequest(ctx, url, { headers, redirect: 'follow' }, 'download', path);
    let hash: Hash | undefined;
    if (res.status === 416 && have > 0) {
      await res.body?.cancel().catch(() => undefined);
      if (have !== size) {
        rmSync(part, { force: true });
        lastError = `the Hub refused to resume at byte ${have} of ${size ?? '?'} (416); restarted`;
        continue;
      }
      if (verify) hash = await hashFile(part);
    } else {
      if (res.status >= 400) throw ctx.httpError(path, res);
      // resume only when the server sent exactly the bytes asked for; otherwise start over
      const append =
        have > 0 && res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${have}-`);
      if (verify) hash = append ? await hashFile(part) : createHash('sha256');
      const failed = await streamInto(ctx, res, part, append, hash, cap - (append ? have : 0), url, path);
      if (failed !== undefined) {
        lastError = failed;
        continue;
      }
    }
    const outcome = finish(part, blob, size, hash, etag, have, path);
    if (outcome === undefined) return;
    lastError = outcome;
  }
  throw new StaticEmbedError(
    'NETWORK_ERROR',
    `Download of ${path} kept being interrupted (${lastError}); the partial file is kept and the next attempt resumes it.`,
  );
}

/** Checks a finished part file (size, sha256) and renames it into place; a message when it must be fetched again. */
function finish(
  part: string,
  blob: string,
  size: number | undefined,
  hash: Hash | undefined,
  etag: string,
  have: number,
  path: string,
): string | undefined {
  const got = statSync(part).size;
  if (size !== undefined && got !== size) {
    if (got > size) rmSync(part, { force: true });
    return `got ${got} of ${size} bytes`;
  }
  if (hash) {
    const sha = hash.digest('hex');
    if (sha !== etag) {
      rmSync(part, { force: true });
      if (have > 0) return `the resumed file did not match its sha256; restarted`;
      throw new StaticEmbedError(
        'NETWORK_ERROR',
        `${path} downloaded from the Hub does not match its sha256 (${etag}); the file was removed, try again.`,
      );
    }
  }
  renameSync(part, blob);
  return undefined;
}
