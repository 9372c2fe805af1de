/**
 * A local HTTP server on 127.0.0.1 that mimics the Hugging Face Hub's resolve endpoints: HEAD/GET
 * /{repo}/resolve/{revision}/{path}; small files answered directly with a git-style ETag, large ("LFS")
 * files redirected to a storage URL with X-Linked-Etag (sha256) and X-Linked-Size; X-Repo-Commit on every
 * answer; 401 + RepoNotFound for unknown or private repos without the token; 404 + EntryNotFound for missing
 * files; Range requests (416 past the end); a switch that cuts a transfer after N bytes once (interrupted
 * download), one that stalls transfers (the connection stays open), and an override for hostile answers. Also the
 * API route the fetch-based loader uses, GET /api/models/{repo}/revision/{revision} → {sha, siblings}, and CORS
 * headers (with preflight answers) so that a page on another origin can use it, as on the real Hub.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockRepo {
  commit: string;
  files: Record<string, Uint8Array>;
  private?: boolean;
  /** extra revisions (branch → commit); the main branch is "main" */
  refs?: Record<string, string>;
}

export class MockHub {
  readonly repos = new Map<string, MockRepo>();
  requests: string[] = [];
  /** Date.now() of the last request received */
  lastRequestAt = 0;
  /** `${sha256} ${Range header}` of each storage request (an empty header for none) */
  ranges: string[] = [];
  token = 'hf_test_token';
  /** cut the next storage transfer of this many bytes or more after `cutAfter` bytes */
  cutAfter: number | undefined;
  /** stall every storage transfer after this many bytes: the connection stays open, nothing more is sent */
  stallAfter: number | undefined;
  /** answers a request itself when it returns true (hostile servers: bad names, stalls, endless bodies) */
  override: ((req: IncomingMessage, res: ServerResponse, path: string) => boolean) | undefined;
  private server: Server | undefined;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    this.lastRequestAt = Date.now();
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader(
      'access-control-expose-headers',
      'x-repo-commit, x-linked-etag, x-linked-size, etag, content-length, x-error-code',
    );
    if (this.override?.(req, res, url.pathname)) return;
    if (req.method === 'OPTIONS') {
      res
        .writeHead(204, {
          'access-control-allow-headers': 'authorization, range',
          'access-control-allow-methods': 'GET, HEAD',
        })
        .end();
      return;
    }
    const api = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(url.pathname);
    if (api) return this.serveApi(api[1]!, decodeURIComponent(api[2]!), req, res);
    const storage = /^\/storage\/([0-9a-f]{64})$/.exec(url.pathname);
    if (storage) return this.serveStorage(storage[1]!, req, res);
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) {
      res.writeHead(404).end('not found');
      return;
    }
    const [, id, rev, path] = m as unknown as [string, string, string, string];
    const repo = this.repos.get(id);
    const authed = req.headers.authorization === `Bearer ${this.token}`;
    if (!repo || (repo.private && !authed)) {
      res
        .writeHead(401, { 'x-error-code': 'RepoNotFound', 'content-type': 'application/json' })
        .end('{"error":"Repository Not Found"}');
      return;
    }
    const revision = decodeURIComponent(rev);
    const known = [repo.commit, ...Object.values(repo.refs ?? {})];
    const commit = known.includes(revision) ? revision : revision === 'main' ? repo.commit : repo.refs?.[revision];
    if (!commit) {
      res.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end('{"error":"Invalid rev id"}');
      return;
    }
    const body = repo.files[path];
    if (!body) {
      res
        .writeHead(404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': commit })
        .end('{"error":"Entry not found"}');
      return;
    }
    if (body.length > 10_000) {
      const sha = createHash('sha256').update(body).digest('hex');
      this.blobs.set(sha, body);
      res
        .writeHead(302, {
          location: `${this.url}/storage/${sha}`,
          'x-repo-commit': commit,
          'x-linked-etag': `"${sha}"`,
          'x-linked-size': String(body.length),
          etag: `"${sha.slice(0, 40)}"`,
        })
        .end();
      return;
    }
    const etag = createHash('sha1').update(body).digest('hex');
    res.writeHead(200, {
      'x-repo-commit': commit,
      etag: `"${etag}"`,
      'content-length': String(body.length),
      'content-type': 'application/octet-stream',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private readonly blobs = new Map<string, Uint8Array>();

  private serveApi(id: string, revision: string, req: IncomingMessage, res: ServerResponse): void {
    const repo = this.repos.get(id);
    if (!repo || (repo.private && req.headers.authorization !== `Bearer ${this.token}`)) {
      res
        .writeHead(401, { 'x-error-code': 'RepoNotFound', 'content-type': 'application/json' })
        .end('{"error":"Repository Not Found"}');
      return;
    }
    const commit =
      revision === 'main'
        ? repo.commit
        : [repo.commit, ...Object.values(repo.refs ?? {})].includes(revision)
          ? revision
          : repo.refs?.[revision];
    if (!commit) {
      res
        .writeHead(404, { 'x-error-code': 'RevisionNotFound', 'content-type': 'application/json' })
        .end('{"error":"Invalid rev id"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id, sha: commit, siblings: Object.keys(repo.files).map((rfilename) => ({ rfilename })) }));
  }

  private serveStorage(sha: string, req: IncomingMessage, res: ServerResponse): void {
    const body = this.blobs.get(sha);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    let start = 0;
    this.ranges.push(`${sha} ${req.headers.range ?? ''}`);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) start = Number(range[1]);
    if (start >= body.length && range) {
      // as real servers answer a range that starts at or past the end
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
      return;
    }
    const part = body.subarray(start);
    res.writeHead(range ? 206 : 200, {
      'content-length': String(part.length),
      ...(range ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (this.stallAfter !== undefined) {
      res.write(part.subarray(0, this.stallAfter));
      return;
    }
    if (this.cutAfter !== undefined && part.length > this.cutAfter) {
      const n = this.cutAfter;
      this.cutAfter = undefined;
      res.write(part.subarray(0, n), () => res.socket?.destroy());
      return;
    }
    res.end(part);
  }
}
