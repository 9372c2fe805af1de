/**
 * The Node adapter of the request handler: node:http in front of `(Request) => Promise<Response>`, with the
 * transport-level defences — header size limit (431), header and whole-request timeouts (a body that trickles
 * in is cut off with 408), idle keep-alive timeout, a cap on connections — and graceful shutdown (stop
 * accepting, let in-flight requests finish, close idle connections).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { responseText } from '../../server/respond.js';

export interface NodeServeOptions {
  host?: string;
  port?: number;
  /** whole request, headers and body (default 30 s) */
  requestTimeoutMs?: number;
  /** request headers (default 10 s) */
  headersTimeoutMs?: number;
  /** idle keep-alive connections (default 5 s) */
  keepAliveTimeoutMs?: number;
  /** bytes of request headers (default 16 KiB) */
  maxHeaderSize?: number;
  /** open connections (default 1024) */
  maxConnections?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, waits for in-flight requests (at most `graceMs`), closes every connection. */
  close(graceMs?: number): Promise<void>;
}

export function serveNode(
  handler: (req: Request) => Promise<Response>,
  o: NodeServeOptions = {},
): Promise<RunningServer> {
  const requestTimeout = o.requestTimeoutMs ?? 30_000;
  const server = createServer({
    maxHeaderSize: o.maxHeaderSize ?? 16 * 1024,
    requestTimeout,
    headersTimeout: Math.min(o.headersTimeoutMs ?? 10_000, requestTimeout),
    keepAliveTimeout: o.keepAliveTimeoutMs ?? 5_000,
    // how often the timeouts above are checked (Node's default is 30 s)
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))),
  });
  server.maxConnections = o.maxConnections ?? 1024;
  let inFlight = 0;
  let idle: (() => void) | undefined;
  const base = `http://${o.host ?? '127.0.0.1'}`;

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    const run = () =>
      void handle(handler, base, req, res).finally(() => {
        if (--inFlight === 0) idle?.();
      });
    // health checks are answered in the I/O phase that received them; other requests start in the next check
    // phase, so under load a probe waits for at most one round of request handling
    if (req.url === '/health') run();
    else setImmediate(run);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    o.log?.({ time: new Date().toISOString(), level: 'warn', msg: 'client error', error: err.code ?? err.message });
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8080, o.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${host}:${a.port}`,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
            const finish = () => {
              server.closeAllConnections();
            };
            if (inFlight === 0) finish();
            else {
              idle = finish;
              setTimeout(finish, graceMs).unref();
            }
          }),
      });
    });
  });
}

async function handle(
  handler: (req: Request) => Promise<Response>,
  base: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      try {
        headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
      } catch {
        /* a header value fetch refuses: dropped */
      }
    }
    const method = req.method ?? 'GET';
    const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: abort.signal };
    if (method !== 'GET' && method !== 'HEAD') {
      init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
    const response = await handler(new Request(new URL(req.url ?? '/', base), init));
    if (abort.signal.aborted) return;
    const text = responseText.get(response);
    const body =
      method === 'HEAD'
        ? undefined
        : text !== undefined
          ? Buffer.from(text, 'utf8')
          : new Uint8Array(await response.arrayBuffer());
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      out[k] = v;
    });
    if (body) out['content-length'] = String(body.length);
    // answered before the body arrived (e.g. 413): the connection cannot carry another request
    if (!req.complete) out.connection = 'close';
    res.writeHead(response.status, out);
    res.end(body);
  } catch {
    if (!res.headersSent && !res.destroyed) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"Internal server error.","type":"server_error","param":null,"code":"internal"}}');
    } else res.destroy();
  }
}
