/**
 * The Node adapter's two conversions: IncomingMessage → fetch Request, Response → ServerResponse.
 * See ARCHITECTURE.md, "Server defences".
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestMethod } from '../../server/handler.js';
import { responseSource, responseText } from '../../server/respond.js';
import type { BodySource } from '../../server/serialize.js';

/** Methods fetch's Request refuses; the handler still answers them (405) via `requestMethod`. */
const FORBIDDEN = new Set(['CONNECT', 'TRACE', 'TRACK']);

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        const fail = (e: unknown) => {
          if (open) {
            open = false;
            c.error(e);
          }
        };
        req.on('data', (chunk: Buffer) => {
          if (!open) return;
          c.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((c.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => {
          if (open) {
            open = false;
            c.close();
          }
        });
        req.on('error', fail);
        req.on('close', () => {
          if (!req.complete) fail(new Error('The request was aborted.'));
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      // the handler answered before reading it all (413, 503): the response goes out with Connection: close
      cancel() {
        open = false;
        req.pause();
      },
    },
    { highWaterMark: 64 * 1024, size: (c) => c.byteLength },
  );
}

export function toRequest(req: IncomingMessage, base: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    } catch {
      /* a header value fetch refuses: dropped */
    }
  }
  const method = req.method ?? 'GET';
  const forbidden = FORBIDDEN.has(method);
  const init: RequestInit & { duplex?: 'half' } = { method: forbidden ? 'GET' : method, headers, signal };
  if (!forbidden && method !== 'GET' && method !== 'HEAD') {
    init.body = bodyStream(req);
    init.duplex = 'half';
  }
  const request = new Request(new URL(req.url ?? '/', base), init);
  if (forbidden) requestMethod.set(request, method);
  return request;
}

/** Resolves when the response can take more data, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeSlices(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  src: BodySource,
): Promise<void> {
  let slice = await src.next();
  if (res.destroyed) return;
  if (src.slices === 1 && slice) headers['content-length'] = String(slice.length);
  res.writeHead(status, headers);
  while (slice !== null) {
    if (!res.write(slice)) await drained(res);
    if (res.destroyed) return;
    slice = await src.next();
  }
  res.end();
}

/**
 * Writes `response` to `res`. `close` asks for Connection: close (the request body was not read to its end, or
 * the server is shutting down); `writeTimeoutMs`: no progress for that long while sending → the connection is
 * destroyed.
 */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  head: boolean,
  close: boolean,
  writeTimeoutMs: number,
): Promise<void> {
  const src = responseSource.get(response);
  try {
    const headers: Record<string, string> = {};
    response.headers.forEach((v, k) => {
      headers[k] = v;
    });
    if (close) headers.connection = 'close';
    res.setTimeout(writeTimeoutMs, () => res.destroy());
    if (src && !head) return await writeSlices(res, response.status, headers, src);
    const text = responseText.get(response);
    const body = head
      ? undefined
      : text !== undefined
        ? Buffer.from(text, 'utf8')
        : new Uint8Array(await response.arrayBuffer());
    if (body) headers['content-length'] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
  } finally {
    src?.close();
  }
}
