/**
 * StaticModel.fromPretrained over `fetch` only (browsers, Web Workers, edge runtimes).
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { StaticEmbedError, describe } from '../../errors.js';
import type { HubOptions } from '../../model/hub-options.js';
import type { ModelCore } from '../../model/core.js';
import { coreFromFiles } from '../../model/load.js';
import { modelInternals, type LoadOptions, type StaticModel } from '../../model/static-model.js';
import { checkAborted, download, type DownloadContext } from './download.js';
import { checkRevision, serverCommit } from './hub-names.js';
import { downloadLimits } from './limits.js';
import { collectFiles, encodePath } from './probe.js';
import { openModelCache, type CacheManifest, type ModelCache } from './model-cache.js';

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;
const MANIFEST = '.static-embed-manifest.json';

/** Where a model comes from: a Hub repository or a folder URL (always ending in "/"). */
export type ModelLocation = { kind: 'hub'; id: string } | { kind: 'url'; base: string };

/**
 * Reads `owner/name` as a Hub id, and as a URL: absolute URLs, paths starting with "/", "./" or "../", and
 * anything ending in "/" (relative ones against the page's location).
 */
export function modelLocation(idOrUrl: string | URL): ModelLocation {
  if (idOrUrl instanceof URL) return { kind: 'url', base: folderUrl(idOrUrl) };
  if (typeof idOrUrl !== 'string' || idOrUrl === '') {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `fromPretrained needs a Hub id ("owner/name") or a model folder URL, got ${describe(idOrUrl)}.`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(idOrUrl)) return { kind: 'url', base: folderUrl(new URL(idOrUrl)) };
  if (HUB_ID.test(idOrUrl)) return { kind: 'hub', id: idOrUrl };
  if (/^\.{0,2}\//.test(idOrUrl) || idOrUrl.endsWith('/')) {
    const here = (globalThis as { location?: { href: string } }).location?.href;
    if (!here)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `${idOrUrl} is a relative URL, and this runtime has no page location to resolve it against; give an absolute URL.`,
      );
    return { kind: 'url', base: folderUrl(new URL(idOrUrl, here)) };
  }
  throw new StaticEmbedError(
    'INVALID_ARGUMENT',
    `${describe(idOrUrl)} is neither a Hub id ("owner/name") nor a URL (absolute, or starting with "/", "./" or "../").`,
  );
}

function folderUrl(u: URL): string {
  const c = new URL(u.href);
  c.search = '';
  c.hash = '';
  if (!c.pathname.endsWith('/')) c.pathname += '/';
  return c.href;
}

/** The options StaticModel itself takes (functions and signals must not reach worker threads). */
export function loadOptionsOf(o: LoadOptions): LoadOptions {
  const out: LoadOptions = {};
  if (o.truncateDim !== undefined) out.truncateDim = o.truncateDim;
  if (o.normalize !== undefined) out.normalize = o.normalize;
  if (o.profile !== undefined) out.profile = o.profile;
  if (o.maxLength !== undefined) out.maxLength = o.maxLength;
  if (o.kernel !== undefined) out.kernel = o.kernel;
  if (o.tableDtype !== undefined) out.tableDtype = o.tableDtype;
  return out;
}

/** Loads a model by Hub id or folder URL over fetch, through Cache Storage when the runtime has it. */
export async function fetchPretrained(
  idOrUrl: string | URL,
  options: LoadOptions & HubOptions = {},
): Promise<StaticModel> {
  return modelInternals.create(await fetchModelCore(idOrUrl, options));
}

/** fetchPretrained's model core (the browser runtime's loader). */
export async function fetchModelCore(
  idOrUrl: string | URL,
  options: LoadOptions & HubOptions = {},
): Promise<ModelCore> {
  const where = modelLocation(idOrUrl);
  const revision = checkRevision(options.revision ?? 'main');
  const limits = downloadLimits(options);
  const endpoint = (options.endpoint ?? 'https://huggingface.co').replace(/\/+$/, '');
  const what = where.kind === 'hub' ? `${where.id}@${revision}` : where.base;
  const hub = where.kind === 'hub';
  const ctx: DownloadContext = {
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    headers: hub && options.token ? { authorization: `Bearer ${options.token}` } : {},
    signal: options.signal,
    onProgress: options.onProgress,
    what,
    authHint: hub
      ? options.token
        ? 'Check that the token grants access to this repository.'
        : 'If it is private or gated, pass a token with access.'
      : 'The server refuses access to the folder.',
    limits,
  };
  const loadOptions = loadOptionsOf(options);
  const cache = await openModelCache(options.cache);
  const manifestKey = hub
    ? `${endpoint}/${where.id}/resolve/${encodeURIComponent(revision)}/${MANIFEST}`
    : `${where.base}${MANIFEST}`;
  if (cache && !options.forceDownload) {
    const files = await fromCache(cache, manifestKey, ctx);
    if (files) return coreFromFiles(files, loadOptions, what);
  }
  let base: string,
    commit: string | null = null,
    listing: Set<string> | undefined;
  if (where.kind === 'hub') {
    const info = await hubRevision(ctx, endpoint, where.id, revision);
    commit = info.commit;
    listing = info.files;
    base = `${endpoint}/${where.id}/resolve/${commit}/`;
  } else base = where.base;
  const files = await collectFiles(ctx, cache, base, listing);
  const core = coreFromFiles(files, loadOptions, what);
  if (cache) {
    const sizes: Record<string, number> = {};
    for (const [p, b] of files) sizes[p] = b.length;
    await cache.putManifest(manifestKey, { format: 'static-embed-cache-1', base, commit, files: sizes });
  }
  return core;
}

/** Every file of a cached model, or undefined when any is missing (then the network is used). */
async function fromCache(
  cache: ModelCache,
  key: string,
  ctx: DownloadContext,
): Promise<Map<string, Uint8Array> | undefined> {
  const m: CacheManifest | undefined = await cache.manifest(key);
  if (!m) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const [path, size] of Object.entries(m.files)) {
    checkAborted(ctx.signal);
    const url = m.base + encodePath(path);
    const b = await cache.get(url);
    if (!b || b.length !== size) return undefined;
    ctx.onProgress?.({ file: path, url, loaded: size, total: size, cached: true });
    files.set(path, b);
  }
  return files;
}

/** The commit a Hub revision points to and the repository's file list (Hub API `/api/models/{id}/revision/{rev}`). */
async function hubRevision(
  ctx: DownloadContext,
  endpoint: string,
  id: string,
  revision: string,
): Promise<{ commit: string; files: Set<string> }> {
  const url = `${endpoint}/api/models/${id}/revision/${encodeURIComponent(revision)}`;
  let body: Uint8Array | null;
  try {
    body = await download(ctx, url, 'the repository information', 'metadata');
  } catch (e) {
    if (e instanceof StaticEmbedError && e.code === 'UNAUTHORIZED') throw notOnHub(ctx, id, revision, endpoint, e);
    throw e;
  }
  if (!body) throw notOnHub(ctx, id, revision, endpoint);
  let info: { sha?: unknown; siblings?: unknown };
  try {
    info = JSON.parse(new TextDecoder().decode(body)) as typeof info;
  } catch (cause) {
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `${url} did not answer JSON: is ${endpoint} a Hugging Face Hub (or mirror)?`,
      { cause },
    );
  }
  const sha = info?.sha;
  const siblings = info?.siblings;
  if (typeof sha !== 'string' || !Array.isArray(siblings)) {
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `${url} answered without a commit sha and file list; is ${endpoint} a Hugging Face Hub (or mirror)?`,
    );
  }
  serverCommit(sha, endpoint, `${id}@${revision}`);
  const files = new Set<string>();
  for (const s of siblings)
    if (typeof (s as { rfilename?: unknown })?.rfilename === 'string')
      files.add((s as { rfilename: string }).rfilename);
  return { commit: sha, files };
}

function notOnHub(
  ctx: DownloadContext,
  id: string,
  revision: string,
  endpoint: string,
  cause?: unknown,
): StaticEmbedError {
  return new StaticEmbedError(
    'NOT_FOUND',
    `${id} at revision "${revision}" was not found on ${endpoint}: the repository or revision does not exist, or it is private or gated. ` +
      (ctx.headers.authorization
        ? 'Check that the token grants access to it.'
        : 'If it is private or gated, pass a token with access.'),
    cause === undefined ? undefined : { cause },
  );
}
