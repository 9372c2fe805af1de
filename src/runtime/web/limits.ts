/** Timeouts and size caps of every model download (Hub and URL, Node and web), and the stall-timed body reader. */
import { StaticEmbedError, describe } from '../../errors.js';
import type { HubOptions } from '../../model/hub-options.js';

/** huggingface_hub's defaults, in seconds: metadata requests (HF_HUB_ETAG_TIMEOUT) and download stalls. */
export const DEFAULT_ETAG_TIMEOUT = 10;
export const DEFAULT_DOWNLOAD_TIMEOUT = 10;
/** The largest download accepted when the server announces no size (or more): 8 GiB. */
export const DEFAULT_MAX_DOWNLOAD_BYTES = 8 * 2 ** 30;
/**
 * The largest body held in memory (URL loads, and every load in browsers) when no cap is set: 512 MiB, above the
 * largest static models (the seed's float32 table is 414 MiB) and low enough that an endless body stays far from
 * exhausting memory. Setting the cap (option or environment) sets this one too.
 */
export const DEFAULT_MAX_MEMORY_DOWNLOAD_BYTES = 512 * 2 ** 20;
/** The largest metadata answer (the Hub API's JSON) read. */
export const MAX_METADATA_BYTES = 64 * 2 ** 20;

export interface DownloadLimits {
  etagTimeoutMs: number;
  downloadTimeoutMs: number;
  maxBytes: number;
  /** the cap of a body held in memory: maxBytes when it was set, else DEFAULT_MAX_MEMORY_DOWNLOAD_BYTES */
  maxMemoryBytes: number;
}

type Env = (name: string) => string | undefined;

function setting(
  option: unknown,
  optionName: string,
  env: Env,
  envName: string,
  fallback: number,
  integer: boolean,
): number {
  const fromEnv = option === undefined ? env(envName) : undefined;
  const v = option !== undefined ? option : fromEnv !== undefined ? Number(fromEnv) : fallback;
  const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isSafeInteger(v));
  if (ok) return v;
  const where = option !== undefined ? `the ${optionName} option` : `$${envName}`;
  const got = option !== undefined ? describe(option) : JSON.stringify(fromEnv);
  throw new StaticEmbedError(
    'INVALID_ARGUMENT',
    `${where} must be a positive ${integer ? 'whole number of bytes' : 'number of seconds'}, got ${got}.`,
  );
}

/** The limits of a load: options first, then (Node) the environment, then the defaults. */
export function downloadLimits(o: HubOptions, env: Env = () => undefined): DownloadLimits {
  const capSet = o.maxDownloadBytes !== undefined || env('STATIC_EMBED_MAX_DOWNLOAD_BYTES') !== undefined;
  const limits = {
    etagTimeoutMs:
      1000 * setting(o.etagTimeout, 'etagTimeout', env, 'HF_HUB_ETAG_TIMEOUT', DEFAULT_ETAG_TIMEOUT, false),
    downloadTimeoutMs:
      1000 *
      setting(o.downloadTimeout, 'downloadTimeout', env, 'HF_HUB_DOWNLOAD_TIMEOUT', DEFAULT_DOWNLOAD_TIMEOUT, false),
    maxBytes: setting(
      o.maxDownloadBytes,
      'maxDownloadBytes',
      env,
      'STATIC_EMBED_MAX_DOWNLOAD_BYTES',
      DEFAULT_MAX_DOWNLOAD_BYTES,
      true,
    ),
  };
  return { ...limits, maxMemoryBytes: capSet ? limits.maxBytes : DEFAULT_MAX_MEMORY_DOWNLOAD_BYTES };
}

export type TimeoutKind = 'metadata' | 'download';

/** TIMEOUT: what waited, on which URL, and the setting that bounds it. */
export function timeoutError(kind: TimeoutKind, url: string, ms: number, what: string): StaticEmbedError {
  const [env, option] =
    kind === 'metadata' ? ['HF_HUB_ETAG_TIMEOUT', 'etagTimeout'] : ['HF_HUB_DOWNLOAD_TIMEOUT', 'downloadTimeout'];
  const waited = kind === 'metadata' ? 'did not answer' : 'sent nothing';
  return new StaticEmbedError(
    'TIMEOUT',
    `${url} ${waited} for ${ms / 1000} s while loading ${what} (${env}, option ${option}; default ` +
      `${kind === 'metadata' ? DEFAULT_ETAG_TIMEOUT : DEFAULT_DOWNLOAD_TIMEOUT} s). Check the network and the ` +
      `server, or raise ${env}.`,
  );
}

/** DOWNLOAD_TOO_LARGE: a body past its announced size, or past the cap. */
export function tooLargeError(url: string, what: string, detail: string): StaticEmbedError {
  return new StaticEmbedError(
    'DOWNLOAD_TOO_LARGE',
    `${url} (${what}): ${detail}. Nothing was kept. If the file is really that large, raise ` +
      'STATIC_EMBED_MAX_DOWNLOAD_BYTES (option maxDownloadBytes).',
  );
}

/** Checks a size a server announced against the cap (undefined when it announced none). */
export function checkAnnounced(size: number | undefined, limits: DownloadLimits, url: string, what: string): void {
  if (size !== undefined && size > limits.maxBytes)
    throw tooLargeError(url, what, `the server announces ${size} bytes, more than the ${limits.maxBytes}-byte cap`);
}

/** A size header as a number (undefined when absent or not a plain decimal). */
export function sizeHeader(v: string | null): number | undefined {
  return v !== null && /^\d{1,20}$/.test(v.trim()) ? Number(v.trim()) : undefined;
}

/**
 * Settles with `p`, or rejects with `fail()` when `ms` pass first (then `onTimeout` runs: abort the request). A
 * rejection of `p` after the timeout is ignored.
 */
export function within<T>(p: Promise<T>, ms: number, fail: () => Error, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(fail());
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e as Error);
      },
    );
  });
}

/** An AbortController that also aborts when `outer` does; `done()` unhooks it. */
export function linkedAbort(outer: AbortSignal | undefined): { controller: AbortController; done: () => void } {
  const controller = new AbortController();
  if (!outer) return { controller, done: () => undefined };
  const forward = (): void => controller.abort(outer.reason);
  if (outer.aborted) forward();
  else outer.addEventListener('abort', forward, { once: true });
  return { controller, done: () => outer.removeEventListener('abort', forward) };
}

/**
 * The chunks of a body, each within `stallMs` of the previous one (else `fail()` after cancelling the body). A
 * chunk past `limit` bytes in total rejects with `tooLarge(total)` before it is yielded.
 */
export async function* stallTimedChunks(
  body: ReadableStream<Uint8Array>,
  stallMs: number,
  limit: number,
  fail: () => Error,
  tooLarge: (total: number) => Error,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const r = await within(reader.read(), stallMs, fail, () => void reader.cancel().catch(() => undefined));
      if (r.done) return;
      total += r.value.length;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(total);
      }
      yield r.value;
    }
  } finally {
    reader.releaseLock();
  }
}
