/**
 * The Node adapter of the request handler: node:http in front of `(Request) => Promise<Response>`, with the
 * transport-level defences:
 * - header size limit (431); header and whole-request timeouts (408), after which the connection is destroyed
 *   (after a short grace, so the 408 can be read) and the handler's body read aborted, freeing its buffers;
 * - a write timeout while sending (a client that stops reading is disconnected; the response's memory freed);
 * - one request answered at a time per connection: pipelined requests wait, at most `maxPipelined` of them;
 * - a cap on open connections (`maxConnections`);
 * - graceful shutdown: stop accepting, close idle connections, keep every connection whose response is not fully
 *   written (finish/close) until it is or the grace period ends, then close the rest.
 * Per-IP limits belong in a reverse proxy in front (see docs/server.md).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { withDefaults } from '../../defaults.js';
import { toRequest, writeResponse } from './serve-request.js';

/** The defaults of NodeServeOptions. */
export const NODE_SERVE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  writeTimeoutMs: 30_000,
  maxHeaderSize: 16 * 1024,
  maxConnections: 1024,
  maxPipelined: 16,
}) satisfies NodeServeOptions;

export interface NodeServeOptions {
  /** default `NODE_SERVE_DEFAULTS.host`: 127.0.0.1 */
  host?: string;
  /** default `NODE_SERVE_DEFAULTS.port`: 8080 */
  port?: number;
  /** whole request, headers and body (default `NODE_SERVE_DEFAULTS.requestTimeoutMs`: 30 s) */
  requestTimeoutMs?: number;
  /** request headers, from the connection's start or the previous response (default `NODE_SERVE_DEFAULTS.headersTimeoutMs`: 10 s) */
  headersTimeoutMs?: number;
  /** idle keep-alive connections (default `NODE_SERVE_DEFAULTS.keepAliveTimeoutMs`: 5 s) */
  keepAliveTimeoutMs?: number;
  /**
   * while a response is being sent: no progress for this long → the connection is destroyed (default
   * `NODE_SERVE_DEFAULTS.writeTimeoutMs`: 30 s)
   */
  writeTimeoutMs?: number;
  /** bytes of request headers (default `NODE_SERVE_DEFAULTS.maxHeaderSize`: 16 KiB) */
  maxHeaderSize?: number;
  /** open connections; more are closed at once (default `NODE_SERVE_DEFAULTS.maxConnections`: 1024) */
  maxConnections?: number;
  /** requests a connection may send ahead while one is answered; one more closes it (default `NODE_SERVE_DEFAULTS.maxPipelined`: 16) */
  maxPipelined?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export interface RunningServer {
  server: Server;
  url: string;
  /**
   * Stops accepting, closes idle connections, waits until every request in flight has its response fully written
   * (at most `graceMs`, default 10 s), then closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

/** Time a connection is kept after an error or timeout response before it is destroyed (so it can be read). */
const CLOSE_GRACE_MS = 250;

interface Job {
  start(): void;
  done(): void;
}
interface Connection {
  active: Job | undefined;
  queue: Job[];
}

export function serveNode(
  handler: (req: Request) => Promise<Response>,
  options: NodeServeOptions = {},
): Promise<RunningServer> {
  const o = withDefaults(NODE_SERVE_DEFAULTS, options);
  const requestTimeout = o.requestTimeoutMs;
  const headersTimeout = Math.min(o.headersTimeoutMs, requestTimeout);
  const writeTimeout = o.writeTimeoutMs;
  const maxPipelined = o.maxPipelined;
  const server = createServer({
    maxHeaderSize: o.maxHeaderSize,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    // how often the timeouts above are checked (Node's default is 30 s)
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  });
  server.maxConnections = o.maxConnections;
  const connections = new Map<Socket, Connection>();
  let inFlight = 0,
    closing = false;
  let whenIdle: (() => void) | undefined;
  const base = `http://${o.host}`;
  const warn = (msg: string, extra: Record<string, unknown>) =>
    o.log?.({ time: new Date().toISOString(), level: 'warn', msg, ...extra });

  server.on('connection', (socket: Socket) => {
    const c: Connection = { active: undefined, queue: [] };
    connections.set(socket, c);
    socket.once('close', () => {
      connections.delete(socket);
      c.active?.done();
      for (const j of c.queue.splice(0)) j.done();
    });
  });

  const next = (socket: Socket, c: Connection) => {
    c.active = c.queue.shift();
    if (c.active) c.active.start();
    // shutting down: a connection is closed once its last response is written
    else if (closing) socket.destroy();
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const c = connections.get(socket);
    if (!c || socket.destroyed) {
      res.destroy();
      return;
    }
    inFlight++;
    let counted = true;
    const job: Job = {
      start: () => {
        if (socket.destroyed) return;
        const run = () => void handle(req, res);
        // health checks are answered in the I/O phase that received them; other requests start in the next check
        // phase, so under load a probe waits for at most one round of request handling
        if (req.url === '/health') run();
        else setImmediate(run);
      },
      done: () => {
        if (!counted) return;
        counted = false;
        if (--inFlight === 0) whenIdle?.();
      },
    };
    // in flight until the response is written to its end or the connection is gone
    res.once('close', () => {
      job.done();
      if (c.active === job) next(socket, c);
    });
    if (c.active) {
      if (c.queue.length >= maxPipelined) {
        warn('client error', { error: `more than ${maxPipelined} pipelined requests` });
        job.done();
        socket.destroy();
        return;
      }
      c.queue.push(job);
      return;
    }
    c.active = job;
    job.start();
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    try {
      const response = await handler(toRequest(req, base, abort.signal));
      if (abort.signal.aborted || res.destroyed) {
        await response.body?.cancel().catch(() => undefined);
        return;
      }
      // answered before the body arrived (e.g. 413): the connection cannot carry another request
      await writeResponse(res, response, req.method === 'HEAD', !req.complete || closing, writeTimeout);
    } catch {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"Internal server error.","type":"server_error","param":null,"code":"internal"}}');
      } else res.destroy();
    }
  }

  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (err.code !== 'ECONNRESET') warn('client error', { error: err.code ?? err.message });
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
    // read nothing more (a body still in flight is dropped with the connection, never buffered)
    socket.pause();
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    // not just half-closed: a client that never closes its side must not keep the slot
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({
        server,
        url: `http://${host}:${a.port}`,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            closing = true;
            // net's close: stops accepting and calls back once every connection is gone. (http's close would also
            // destroy connections whose response has ended but is not yet written out.)
            NetServer.prototype.close.call(server, () => done());
            for (const [socket, c] of connections) if (!c.active) socket.destroy();
            const finish = () => {
              for (const socket of connections.keys()) socket.destroy();
            };
            if (inFlight === 0) finish();
            else {
              whenIdle = finish;
              setTimeout(finish, graceMs).unref();
            }
          }),
      });
    });
  });
}
