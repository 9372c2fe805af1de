/** The Node adapter of the request handler: node:http in front of `(Request) => Promise<Response>`. */
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

type Warn = (msg: string, extra: Record<string, unknown>) => void;

interface Job {
  start(): void;
  done(): void;
}
interface Connection {
  active: Job | undefined;
  queue: Job[];
}

/**
 * Serves a `(Request) => Promise<Response>` handler with node:http and resolves once it listens.
 * See ARCHITECTURE.md, "Server defences".
 *
 * @example
 * ```ts
 * import { loadDefaultModel } from 'static-embed';
 * import { EmbeddingHandler, serveNode } from 'static-embed/server';
 *
 * const handler = new EmbeddingHandler();
 * handler.addModel('default', await loadDefaultModel());
 * handler.setReady();
 * const server = await serveNode(handler.fetch, { port: 0 }); // port 0: any free port
 * const res = await fetch(`${server.url}/embed`, { method: 'POST', body: JSON.stringify({ inputs: ['hello'] }) });
 * console.log(res.status); // → 200
 * await server.close();
 * ```
 */
export function serveNode(
  handler: (req: Request) => Promise<Response>,
  options: NodeServeOptions = {},
): Promise<RunningServer> {
  const o = withDefaults(NODE_SERVE_DEFAULTS, options);
  const requestTimeout = o.requestTimeoutMs;
  const headersTimeout = Math.min(o.headersTimeoutMs, requestTimeout);
  const server = createServer({
    maxHeaderSize: o.maxHeaderSize,
    requestTimeout,
    headersTimeout,
    keepAliveTimeout: o.keepAliveTimeoutMs,
    // how often the timeouts above are checked (Node's default is 30 s)
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(headersTimeout / 4))),
  });
  server.maxConnections = o.maxConnections;
  const warn: Warn = (msg, extra) => o.log?.({ time: new Date().toISOString(), level: 'warn', msg, ...extra });
  const queue = new ConnectionQueue(o.maxPipelined, warn);
  const respond = responder(handler, `http://${o.host}`, o.writeTimeoutMs, queue);
  server.on('connection', (socket: Socket) => queue.accept(socket));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => queue.enqueue(req, res, respond));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => answerClientError(err, socket, warn));
  return listen(server, o.port, o.host, queue);
}

/** Connections and their requests: one answered at a time per connection, the rest queued; the count in flight. */
class ConnectionQueue {
  private readonly connections = new Map<Socket, Connection>();
  private inFlight = 0;
  private whenIdle: (() => void) | undefined;
  closing = false;

  constructor(
    private readonly maxPipelined: number,
    private readonly warn: Warn,
  ) {}

  accept(socket: Socket): void {
    const c: Connection = { active: undefined, queue: [] };
    this.connections.set(socket, c);
    socket.once('close', () => {
      this.connections.delete(socket);
      c.active?.done();
      for (const j of c.queue.splice(0)) j.done();
    });
  }

  /** Answers the request now or after the connection's earlier ones; too many waiting closes the connection. */
  enqueue(req: IncomingMessage, res: ServerResponse, respond: (req: IncomingMessage, res: ServerResponse) => void) {
    const socket = req.socket;
    const c = this.connections.get(socket);
    if (!c || socket.destroyed) {
      res.destroy();
      return;
    }
    const job = this.job(req, () => respond(req, res));
    // in flight until the response is written to its end or the connection is gone
    res.once('close', () => {
      job.done();
      if (c.active === job) this.next(socket, c);
    });
    if (c.active) {
      if (c.queue.length >= this.maxPipelined) {
        this.warn('client error', { error: `more than ${this.maxPipelined} pipelined requests` });
        job.done();
        socket.destroy();
        return;
      }
      c.queue.push(job);
      return;
    }
    c.active = job;
    job.start();
  }

  private job(req: IncomingMessage, run: () => void): Job {
    this.inFlight++;
    let counted = true;
    return {
      start: () => {
        if (req.socket.destroyed) return;
        // health checks are answered in the I/O phase that received them; other requests start in the next check
        // phase, so under load a probe waits for at most one round of request handling
        if (req.url === '/health') run();
        else setImmediate(run);
      },
      done: () => {
        if (!counted) return;
        counted = false;
        if (--this.inFlight === 0) this.whenIdle?.();
      },
    };
  }

  private next(socket: Socket, c: Connection): void {
    c.active = c.queue.shift();
    if (c.active) c.active.start();
    // shutting down: a connection is closed once its last response is written
    else if (this.closing) socket.destroy();
  }

  /** Graceful close: idle connections now, the others once every response in flight is written or after graceMs. */
  close(server: Server, graceMs: number): Promise<void> {
    return new Promise<void>((done) => {
      this.closing = true;
      // net's close: stops accepting and calls back once every connection is gone. (http's close would also
      // destroy connections whose response has ended but is not yet written out.)
      NetServer.prototype.close.call(server, () => done());
      for (const [socket, c] of this.connections) if (!c.active) socket.destroy();
      const finish = () => {
        for (const socket of this.connections.keys()) socket.destroy();
      };
      if (this.inFlight === 0) finish();
      else {
        this.whenIdle = finish;
        setTimeout(finish, graceMs).unref();
      }
    });
  }
}

/** Runs the handler for one request and writes its response (a 500 if the handler throws). */
function responder(
  handler: (req: Request) => Promise<Response>,
  base: string,
  writeTimeout: number,
  queue: ConnectionQueue,
): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
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
      await writeResponse(res, response, req.method === 'HEAD', !req.complete || queue.closing, writeTimeout);
    } catch {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":{"message":"Internal server error.","type":"server_error","param":null,"code":"internal"}}');
      } else res.destroy();
    }
  };
  return (req, res) => void handle(req, res);
}

/** A request node:http could not parse or timed out: 431, 408 or 400, then the connection is closed. */
function answerClientError(err: NodeJS.ErrnoException, socket: Socket, warn: Warn): void {
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
}

function listen(server: Server, port: number, host: string, queue: ConnectionQueue): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      resolve({ server, url: `http://${shown}:${a.port}`, close: (graceMs = 10_000) => queue.close(server, graceMs) });
    });
  });
}
