/**
 * Hugging Face Hub downloads into the standard cache layout shared with Python's huggingface_hub.
 * See ARCHITECTURE.md, "Loading and downloads".
 */
import { copyFileSync, existsSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { CONFIG_FILES, resolveLayout, type FileSource } from '../../formats/layouts.js';
import type { HubOptions } from '../../model/hub-options.js';
import { checkHubId, checkRevision, isCommit, serverCommit, serverEtag } from '../web/hub-names.js';
import { checkAnnounced, downloadLimits, sizeHeader } from '../web/limits.js';
import { FolderSource } from './fs.js';
import { downloadBlob, timedRequest, type BlobCtx } from './hub-blob.js';
import { makeFolder } from './make-folder.js';
import { tempPathFor, writeFileAtomic } from './atomic-write.js';

const env = (k: string): string | undefined =>
  (typeof process !== 'undefined' ? process.env[k] : undefined) || undefined;

/** The download limits of a load in Node: options, then HF_HUB_ETAG_TIMEOUT, HF_HUB_DOWNLOAD_TIMEOUT, STATIC_EMBED_MAX_DOWNLOAD_BYTES. */
export const nodeDownloadLimits = (o: HubOptions) => downloadLimits(o, env);

export function hubCacheDir(o: HubOptions = {}): string {
  return o.cacheDir ?? env('HF_HUB_CACHE') ?? join(env('HF_HOME') ?? join(homedir(), '.cache', 'huggingface'), 'hub');
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

interface Ctx extends BlobCtx {
  id: string;
  revision: string;
  token: string | undefined;
  repoDir: string;
}

/** Downloads (or finds in the cache) the files of a static model; returns its snapshot folder. */
export async function downloadModel(id: string, options: HubOptions = {}): Promise<string> {
  checkHubId(id);
  const revision = checkRevision(options.revision ?? 'main');
  const token = options.token ?? env('HF_TOKEN') ?? env('HUGGING_FACE_HUB_TOKEN');
  const ctx: Ctx = {
    id,
    revision,
    what: `${id}@${revision}`,
    endpoint: (options.endpoint ?? env('HF_ENDPOINT') ?? 'https://huggingface.co').replace(/\/+$/, ''),
    token,
    auth: token ? { authorization: `Bearer ${token}` } : {},
    repoDir: resolve(hubCacheDir(options), `models--${id.replace(/\//g, '--')}`),
    fetch: options.fetch ?? fetch,
    limits: nodeDownloadLimits(options),
    httpError: (path, res) => httpError(ctx, path, res),
  };
  const offline = options.offline ?? truthy(env('HF_HUB_OFFLINE'));
  const cached = cachedSnapshot(ctx);
  if (cached && (offline || !options.forceDownload) && snapshotComplete(cached.dir, cached.commit, ctx))
    return cached.dir;
  if (offline) {
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${id} (revision ${revision}) is not in the Hugging Face cache ${dirname(ctx.repoDir)} and offline mode is on (HF_HUB_OFFLINE). ` +
        'Download it once with network access, or point --model at a local folder.',
    );
  }
  let commit: string | undefined = isCommit(revision) ? revision : undefined;
  for (const f of CONFIG_FILES) commit = (await fetchFile(ctx, f, commit)) ?? commit;
  if (!commit)
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `The Hub did not say which commit ${id}@${revision} is (no X-Repo-Commit header); is ${ctx.endpoint} a Hugging Face Hub?`,
    );
  const dir = snapshotDir(ctx, commit);
  makeFolder(dir);
  // resolve the layout assuming unseen files exist; a 404 marks the file missing and the next layout is tried
  for (;;) {
    const layout = resolveLayout(new SnapshotSource(dir, ctx, commit), `${id}@${revision}`);
    let complete = true;
    for (const f of [layout.tokenizer, layout.weights]) {
      await fetchFile(ctx, f, commit);
      if (!existsSync(join(dir, f))) complete = false;
    }
    if (complete) break;
  }
  if (!isCommit(revision)) writeRef(ctx, commit);
  return dir;
}

/** A path inside the repository's cache folder, or an error (nothing is written outside it). */
function inRepo(ctx: Ctx, ...parts: string[]): string {
  const p = join(ctx.repoDir, ...parts);
  const r = relative(ctx.repoDir, p);
  if (r === '' || r === '..' || r.startsWith('../') || isAbsolute(r) || p.includes('\0'))
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `Refusing the cache path ${JSON.stringify(parts.join('/'))} of ${ctx.what}: it leads outside ${ctx.repoDir}. Nothing was written.`,
    );
  return p;
}

function snapshotDir(ctx: Ctx, commit: string): string {
  return inRepo(ctx, 'snapshots', commit);
}

function cachedSnapshot(ctx: Ctx): { dir: string; commit: string } | undefined {
  let commit: string | undefined;
  if (isCommit(ctx.revision)) commit = ctx.revision;
  else {
    const ref = inRepo(ctx, 'refs', ctx.revision);
    if (existsSync(ref)) commit = readFileSync(ref, 'utf8').trim();
  }
  if (!commit || !isCommit(commit)) return undefined;
  const dir = snapshotDir(ctx, commit);
  return existsSync(dir) ? { dir, commit } : undefined;
}

function snapshotComplete(dir: string, commit: string, ctx: Ctx): boolean {
  try {
    const r = resolveLayout(new SnapshotSource(dir, ctx, commit), dir);
    return existsSync(join(dir, r.tokenizer)) && existsSync(join(dir, r.weights));
  } catch {
    return false;
  }
}

/** A snapshot folder whose files are known to exist (downloaded), or assumed to exist unless marked missing. */
class SnapshotSource implements FileSource {
  private readonly folder: FolderSource;
  constructor(
    dir: string,
    private readonly ctx: Ctx,
    private readonly commit: string,
  ) {
    this.folder = new FolderSource(dir);
  }
  has(path: string): boolean {
    if (this.folder.has(path)) return true;
    // a big file not fetched yet: it exists unless the Hub said otherwise
    return !CONFIG_FILES.includes(path) && !existsSync(inRepo(this.ctx, '.no_exist', this.commit, path));
  }
  readJson(path: string): unknown {
    return this.folder.readJson(path);
  }
}

/** Writes a small cache file (a ref, a .no_exist marker) under a temporary name, then renames it. */
function writeSmall(path: string, text: string): void {
  makeFolder(dirname(path));
  writeFileAtomic(path, text);
}

function writeRef(ctx: Ctx, commit: string): void {
  writeSmall(inRepo(ctx, 'refs', ctx.revision), commit);
}

function httpError(ctx: Ctx, path: string, res: Response): StaticEmbedError {
  const code = res.headers.get('x-error-code') ?? '';
  const what = `${ctx.id}@${ctx.revision}/${path}`;
  if (code === 'RepoNotFound' || res.status === 401 || res.status === 403) {
    return new StaticEmbedError(
      'NOT_FOUND',
      `Hub answered ${res.status} for ${what}: the repository does not exist, or it is private or gated. ` +
        (ctx.token
          ? 'Check that HF_TOKEN grants access to it.'
          : 'If it is private or gated, set HF_TOKEN to a token with access.'),
    );
  }
  if (code === 'RevisionNotFound')
    return new StaticEmbedError('NOT_FOUND', `Revision "${ctx.revision}" of ${ctx.id} does not exist on the Hub.`);
  return new StaticEmbedError('NETWORK_ERROR', `Hub answered ${res.status} ${res.statusText} for ${what}.`);
}

/** HEAD of a file, following relative redirects (renamed repos); an absolute one is the file's storage (CDN). */
async function head(ctx: Ctx, path: string, rev: string): Promise<{ head: Response; url: string }> {
  let url = `${ctx.endpoint}/${ctx.id}/resolve/${encodeURIComponent(rev)}/${path}`;
  for (let hop = 0; hop < 5; hop++) {
    const init: RequestInit = { method: 'HEAD', redirect: 'manual', headers: ctx.auth };
    const res = await timedRequest(ctx, url, init, 'metadata', path);
    const loc = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && loc && loc.startsWith('/')) {
      url = new URL(loc, url).toString();
      continue;
    }
    return { head: res, url };
  }
  throw new StaticEmbedError('NETWORK_ERROR', `Too many redirects for ${path}.`);
}

/**
 * Fetches one file into the cache. Returns the commit the Hub reported; a file that does not exist is
 * recorded in .no_exist. Every name the Hub gives (commit, ETag) is checked before it becomes a path.
 */
async function fetchFile(ctx: Ctx, path: string, commit: string | undefined): Promise<string | undefined> {
  if (commit && existsSync(inRepo(ctx, '.no_exist', commit, path))) return commit;
  if (commit && existsSync(inRepo(ctx, 'snapshots', commit, path))) return commit;
  const { head: h, url } = await head(ctx, path, commit ?? ctx.revision);
  const where = `${ctx.what}/${path}`;
  const errorCode = h.headers.get('x-error-code');
  if (h.status === 404 && errorCode !== 'RepoNotFound' && errorCode !== 'RevisionNotFound') {
    const header = h.headers.get('x-repo-commit');
    const c = header !== null ? serverCommit(header, ctx.endpoint, where) : commit;
    if (c) writeSmall(inRepo(ctx, '.no_exist', c, path), '');
    return c;
  }
  if (h.status >= 400) throw httpError(ctx, path, h);
  const header = h.headers.get('x-repo-commit');
  const repoCommit = header !== null ? serverCommit(header, ctx.endpoint, where) : commit;
  if (!repoCommit) throw new StaticEmbedError('NETWORK_ERROR', `The Hub gave no commit (X-Repo-Commit) for ${path}.`);
  const etagHeader = h.headers.get('x-linked-etag') ?? h.headers.get('etag');
  if (!etagHeader) throw new StaticEmbedError('NETWORK_ERROR', `The Hub gave no ETag for ${path}; cannot cache it.`);
  const etag = serverEtag(etagHeader, ctx.endpoint, where);
  const size = sizeHeader(h.headers.get('x-linked-size') ?? h.headers.get('content-length'));
  checkAnnounced(size, ctx.limits, url, where);
  const blob = inRepo(ctx, 'blobs', etag);
  const pointer = inRepo(ctx, 'snapshots', repoCommit, path);
  const loc = h.status >= 300 && h.status < 400 ? h.headers.get('location') : null;
  if (!existsSync(blob)) await downloadBlob(ctx, loc ? new URL(loc, url).toString() : url, blob, size, etag, path);
  makeFolder(dirname(pointer));
  if (!existsSync(pointer)) {
    try {
      symlinkSync(relative(dirname(pointer), blob), pointer);
    } catch {
      // no symbolic links here: a copy, under a temporary name until complete
      const tmp = tempPathFor(pointer);
      copyFileSync(blob, tmp);
      renameSync(tmp, pointer);
    }
  }
  return repoCommit;
}
