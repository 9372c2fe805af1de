/** The server tests' one request helper, as Hono's `app.request(path, init)`: in process or over a real socket. */

/** A handler's `fetch` (called in process), a running server (`url`, over a socket) or a base URL. */
export type Target = { fetch(request: Request): Response | Promise<Response> } | { url: string } | string;

export interface TestRequestInit extends RequestInit {
  /** Sent as the body, `JSON.stringify`ed (no content-type is added); the method defaults to POST. */
  json?: unknown;
  /** Sent as `authorization: Bearer KEY`. */
  key?: string;
}

/**
 * `request(path, init)` against `target`, or against what `target()` gives when called (set up in `before`); a
 * handler called in process sees the URL `base` + path.
 */
export function requestTo(
  target: Target | (() => Target),
  base = 'http://x',
): (path: string, init?: TestRequestInit) => Promise<Response> {
  return (path, init = {}) => {
    const { json, key, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (key !== undefined) headers.set('authorization', `Bearer ${key}`);
    const body = json === undefined ? rest.body : JSON.stringify(json);
    const method = rest.method ?? (body === undefined || body === null ? 'GET' : 'POST');
    const options: RequestInit = { ...rest, method, headers, ...(body === undefined ? {} : { body }) };
    const t = typeof target === 'function' ? target() : target;
    if (typeof t === 'string') return fetch(`${t}${path}`, options);
    if ('fetch' in t) return Promise.resolve(t.fetch(new Request(`${base}${path}`, options)));
    return fetch(`${t.url}${path}`, options);
  };
}
