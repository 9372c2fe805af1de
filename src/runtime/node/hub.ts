/**
 * Hugging Face Hub downloads into the standard cache layout shared with Python's huggingface_hub:
 *   $HF_HUB_CACHE/models--owner--name/{blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>,
 *   refs/<revision> (commit), .no_exist/<commit>/<path> (files the Hub said do not exist)}.
 * Only the files a static model needs are fetched: the small config files, then what the layout table asks
 * for. A snapshot already in the cache for the requested revision is used without any network request.
 * Honours HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE, HF_HUB_OFFLINE. Interrupted transfers resume with
 * HTTP Range requests; LFS files (sha256 etags) are verified.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  copyFileSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { CONFIG_FILES, resolveLayout, type FileSource } from '../../formats/layouts.js';
import type { HubOptions } from '../../model/hub-options.js';
import { FolderSource } from './fs.js';
import { makeFolder } from './make-folder.js';
import { tempPathFor, writeFileAtomic } from './atomic-write.js';

const COMMIT = /^[0-9a-f]{40}$/;
const env = (k: string): string | undefined =>
  (typeof process !== 'undefined' ? process.env[k] : undefined) || undefined;

export function hubCacheDir(o: HubOptions = {}): string {
  return o.cacheDir ?? env('HF_HUB_CACHE') ?? join(env('HF_HOME') ?? join(homedir(), '.cache', 'huggingface'), 'hub');
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

interface Ctx {
  id: string;
  revision: string;
  endpoint: string;
  token: string | undefined;
  repoDir: string;
  fetch: typeof fetch;
}

/** Downloads (or finds in the cache) the files of a static model; returns its snapshot folder. */
export async function downloadModel(id: string, o: HubOptions = {}): Promise<string> {
  const revision = o.revision ?? 'main';
  const ctx: Ctx = {
    id,
    revision,
    endpoint: (o.endpoint ?? env('HF_ENDPOINT') ?? 'https://huggingface.co').replace(/\/+$/, ''),
    token: o.token ?? env('HF_TOKEN') ?? env('HUGGING_FACE_HUB_TOKEN'),
    repoDir: join(hubCacheDir(o), `models--${id.replace(/\//g, '--')}`),
    fetch: o.fetch ?? fetch,
  };
  const offline = o.offline ?? truthy(env('HF_HUB_OFFLINE'));
  const cached = cachedSnapshot(ctx);
  if (cached && (offline || !o.forceDownload) && snapshotComplete(cached.dir, cached.commit, ctx)) return cached.dir;
  if (offline) {
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${id} (revision ${revision}) is not in the Hugging Face cache ${dirname(ctx.repoDir)} and offline mode is on (HF_HUB_OFFLINE). ` +
        'Download it once with network access, or point --model at a local folder.',
    );
  }
  let commit: string | undefined = COMMIT.test(revision) ? revision : undefined;
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
  if (!COMMIT.test(revision)) writeRef(ctx, commit);
  return dir;
}

function snapshotDir(ctx: Ctx, commit: string): string {
  return join(ctx.repoDir, 'snapshots', commit);
}

function cachedSnapshot(ctx: Ctx): { dir: string; commit: string } | undefined {
  let commit: string | undefined;
  if (COMMIT.test(ctx.revision)) commit = ctx.revision;
  else {
    const ref = join(ctx.repoDir, 'refs', ctx.revision);
    if (existsSync(ref)) commit = readFileSync(ref, 'utf8').trim();
  }
  if (!commit || !COMMIT.test(commit)) return undefined;
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
    return !CONFIG_FILES.includes(path) && !existsSync(join(this.ctx.repoDir, '.no_exist', this.commit, path));
  }
  readJson(path: string): unknown {
    return this.folder.readJson(path);
  }
}

function writeRef(ctx: Ctx, commit: string): void {
  const ref = join(ctx.repoDir, 'refs', ctx.revision);
  makeFolder(dirname(ref));
  writeFileAtomic(ref, commit);
}

function normalizeEtag(e: string | null): string | undefined {
  if (!e) return undefined;
  return e.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function authHeaders(ctx: Ctx): Record<string, string> {
  return ctx.token ? { authorization: `Bearer ${ctx.token}` } : {};
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

async function request(ctx: Ctx, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await ctx.fetch(url, init);
  } catch (cause) {
    throw new StaticEmbedError(
      'NETWORK_ERROR',
      `Cannot reach ${ctx.endpoint} for ${what}: ${(cause as Error).message}. ` +
        'Check the network (or HF_ENDPOINT), or use a local folder / HF_HUB_OFFLINE=1 with a cached model.',
      { cause },
    );
  }
}

/**
 * Fetches one file into the cache. Returns the commit the Hub reported; a file that does not exist is
 * recorded in .no_exist.
 */
async function fetchFile(ctx: Ctx, path: string, commit: string | undefined): Promise<string | undefined> {
  if (commit && existsSync(join(ctx.repoDir, '.no_exist', commit, path))) return commit;
  if (commit && existsSync(join(snapshotDir(ctx, commit), path))) return commit;
  let url = `${ctx.endpoint}/${ctx.id}/resolve/${encodeURIComponent(commit ?? ctx.revision)}/${path}`;
  let head: Response | undefined;
  for (let hop = 0; hop < 5; hop++) {
    head = await request(ctx, url, { method: 'HEAD', redirect: 'manual', headers: authHeaders(ctx) }, path);
    const loc = head.headers.get('location');
    // follow relative redirects (renamed repos); an absolute one is the file's storage (CDN)
    if (head.status >= 300 && head.status < 400 && loc && loc.startsWith('/')) {
      url = new URL(loc, url).toString();
      continue;
    }
    break;
  }
  if (!head) throw new StaticEmbedError('NETWORK_ERROR', `Too many redirects for ${path}.`);
  if (
    head.status === 404 &&
    head.headers.get('x-error-code') !== 'RepoNotFound' &&
    head.headers.get('x-error-code') !== 'RevisionNotFound'
  ) {
    const c = head.headers.get('x-repo-commit') ?? commit;
    if (c) {
      const marker = join(ctx.repoDir, '.no_exist', c, path);
      makeFolder(dirname(marker));
      writeFileSync(marker, '');
    }
    return c ?? undefined;
  }
  if (head.status >= 400) throw httpError(ctx, path, head);
  const repoCommit = head.headers.get('x-repo-commit') ?? commit;
  const etag = normalizeEtag(head.headers.get('x-linked-etag') ?? head.headers.get('etag'));
  if (!repoCommit || !COMMIT.test(repoCommit))
    throw new StaticEmbedError('NETWORK_ERROR', `The Hub gave no commit (X-Repo-Commit) for ${path}.`);
  if (!etag) throw new StaticEmbedError('NETWORK_ERROR', `The Hub gave no ETag for ${path}; cannot cache it.`);
  const size = Number(head.headers.get('x-linked-size') ?? head.headers.get('content-length') ?? NaN);
  const loc = head.status >= 300 && head.status < 400 ? head.headers.get('location') : null;
  const blob = join(ctx.repoDir, 'blobs', etag);
  if (!existsSync(blob)) await downloadBlob(ctx, loc ? new URL(loc, url).toString() : url, blob, size, etag, path);
  const pointer = join(snapshotDir(ctx, repoCommit), path);
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

/** sha256 of a file, streamed in 1 MiB chunks (a blob can be gigabytes: never read whole). */
async function hashFile(path: string, hash: Hash = createHash('sha256')): Promise<Hash> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash;
}

/**
 * Downloads a blob into `blob.incomplete`, resuming a partial file with a Range request, then checks its sha256
 * (LFS files) while streaming and renames it into place. A 416 (range not satisfiable) means the partial file is
 * already complete (its size is the file's) or does not belong to this file (larger, or the file changed): the
 * first is verified as is, the second removed and downloaded again. A partial file that fails the check after a
 * resume is also downloaded again from the start; a fresh download that fails it is an error.
 */
async function downloadBlob(
  ctx: Ctx,
  url: string,
  blob: string,
  size: number,
  etag: string,
  path: string,
): Promise<void> {
  makeFolder(dirname(blob));
  const part = `${blob}.incomplete`;
  const sameOrigin = new URL(url).origin === new URL(ctx.endpoint).origin;
  const verify = /^[0-9a-f]{64}$/.test(etag);
  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const have = existsSync(part) ? statSync(part).size : 0;
    const headers: Record<string, string> = {
      ...(sameOrigin ? authHeaders(ctx) : {}),
      ...(have > 0 ? { range: `bytes=${have}-` } : {}),
    };
    const res = await request(ctx, url, { headers, redirect: 'follow' }, path);
    let hash: Hash | undefined;
    if (res.status === 416 && have > 0) {
      await res.body?.cancel();
      if (!(Number.isFinite(size) && have === size)) {
        rmSync(part, { force: true });
        lastError = `the Hub refused to resume at byte ${have} of ${Number.isFinite(size) ? size : '?'} (416); restarted`;
        continue;
      }
      if (verify) hash = await hashFile(part);
    } else {
      if (res.status >= 400) throw httpError(ctx, path, res);
      // resume only when the server sent exactly the bytes asked for; otherwise start over
      const append =
        have > 0 && res.status === 206 && (res.headers.get('content-range') ?? '').startsWith(`bytes ${have}-`);
      if (verify) hash = append ? await hashFile(part) : createHash('sha256');
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            hash?.update(chunk);
            if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', r));
          }
        }
        await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
      } catch (e) {
        await new Promise<void>((r) => out.end(() => r()));
        lastError = (e as Error).message;
        continue; // interrupted: resume from what we have
      }
    }
    const got = statSync(part).size;
    if (Number.isFinite(size) && got !== size) {
      if (got > size) rmSync(part, { force: true });
      lastError = `got ${got} of ${size} bytes`;
      continue;
    }
    if (hash) {
      const sha = hash.digest('hex');
      if (sha !== etag) {
        rmSync(part, { force: true });
        if (have > 0) {
          lastError = `the resumed file did not match its sha256; restarted`;
          continue;
        }
        throw new StaticEmbedError(
          'NETWORK_ERROR',
          `${path} downloaded from the Hub does not match its sha256 (${etag}); the file was removed, try again.`,
        );
      }
    }
    renameSync(part, blob);
    return;
  }
  throw new StaticEmbedError(
    'NETWORK_ERROR',
    `Download of ${path} kept being interrupted (${lastError}); the partial file is kept and the next attempt resumes it.`,
  );
}
