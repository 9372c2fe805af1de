/**
 * A tiny static file server (node:http) for the demo (`npm run demo`), the browser tests and the browser
 * benchmark: folders mounted at URL prefixes, correct content types and Content-Length, optional
 * cross-origin isolation headers (COOP/COEP, for SharedArrayBuffer) and CORS. No server logic.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

export interface StaticServerOptions {
  /** URL prefix ("/" or "/models/default/") → folder; the longest matching prefix wins */
  mounts: Record<string, string>;
  /** send COOP/COEP so the page is cross-origin isolated (SharedArrayBuffer, Web Workers) */
  isolate?: boolean;
  /** send Access-Control-Allow-Origin: * */
  cors?: boolean;
  /** file served for "/" (default index.html) */
  index?: string;
  port?: number;
  host?: string;
}

export interface StaticServer {
  url: string;
  /** "METHOD /path" of every request, in order */
  requests: string[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.onnx': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
};

export async function serveStatic(o: StaticServerOptions): Promise<StaticServer> {
  const prefixes = Object.keys(o.mounts).sort((a, b) => b.length - a.length);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(`${req.method} ${path}`);
    const headers: Record<string, string> = {};
    if (o.isolate)
      Object.assign(headers, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'cross-origin',
      });
    if (o.cors) headers['access-control-allow-origin'] = '*';
    const prefix = prefixes.find((p) => path.startsWith(p));
    let file: string | undefined;
    if (prefix !== undefined) {
      const root = o.mounts[prefix]!;
      const rel = normalize(path.slice(prefix.length) || o.index || 'index.html');
      const f = join(root, rel);
      if ((f === root || f.startsWith(root.endsWith(sep) ? root : root + sep)) && existsSync(f))
        file = statSync(f).isDirectory() ? join(f, o.index ?? 'index.html') : f;
    }
    if (!file || !existsSync(file) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(statSync(file).size),
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', r));
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${addr.address === '::' ? 'localhost' : addr.address}:${addr.port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
