/** The HTTP API as one standard `(Request) => Promise<Response>` function. See ARCHITECTURE.md, "Server defences". */
import { withDefaults } from '../defaults.js';
import { StaticEmbedError } from '../errors.js';
import type { StaticModel } from '../model/static-model.js';
import { MicroBatcher, type EncodeFn } from './batcher.js';
import { MemoryBudget, type Lease } from './budget.js';
import { parseJsonBody, readBody } from './body.js';
import { Metrics } from './metrics.js';
import { openAIEmbeddings, openAIModel, openAIModels } from './routes/openai.js';
import { json, openAIError, responseSource, statusOf, teiError } from './respond.js';
import { localSerializer, responseBytes, rowsBody, type Serializer } from './serialize.js';
import type { ModelEntry, RouteContext } from './context.js';
import { teiEmbed, teiEmbedAll, teiSimilarity } from './routes/tei.js';
import { teiInfo, type ServerAbout } from './routes/tei-info.js';
import type { Limits } from './inputs.js';

/**
 * The request's real method when the adapter had to build the Request with another one: fetch's Request refuses
 * CONNECT, TRACE and TRACK, which must still be answered (405), logged and counted.
 */
export const requestMethod = new WeakMap<Request, string>();

/** The defaults of ServerOptions' limits. */
export const SERVER_DEFAULTS = Object.freeze({
  maxBodyBytes: 4 * 1024 * 1024,
  /** OpenAI's limit */
  maxInputs: 2048,
  maxInputChars: 100_000,
  maxBatch: 1024,
  maxQueue: 65_536,
  maxMemoryBytes: 256 * 1024 * 1024,
}) satisfies ServerOptions;

export interface ServerOptions {
  /** clients must send `Authorization: Bearer KEY` (except to /health and /metrics) */
  apiKey?: string;
  /** request body bytes (default `SERVER_DEFAULTS.maxBodyBytes`: 4 MiB) */
  maxBodyBytes?: number;
  /** inputs per request (default `SERVER_DEFAULTS.maxInputs`: 2048, OpenAI's limit) */
  maxInputs?: number;
  /** characters per input (default `SERVER_DEFAULTS.maxInputChars`: 100,000) */
  maxInputChars?: number;
  /** texts per micro-batch (default `SERVER_DEFAULTS.maxBatch`: 1024) */
  maxBatch?: number;
  /** texts waiting per model before requests get 503 OVERLOADED (default `SERVER_DEFAULTS.maxQueue`: 65,536) */
  maxQueue?: number;
  /**
   * bytes of request bodies and responses held at once, over all requests (default `SERVER_DEFAULTS.maxMemoryBytes`:
   * 256 MiB); beyond it requests get OVERLOADED (503 on the OpenAI routes, 429 on TEI's) with Retry-After
   */
  maxMemoryBytes?: number;
  /** writes the slices of responses larger than one slice; default on the calling thread (the CLI passes threads) */
  serializer?: Serializer;
  /** allowed browser origins ('*' for any); no CORS headers when absent */
  cors?: string[];
  /** one entry per request (JSON-serializable; no bodies) */
  log?: (entry: Record<string, unknown>) => void;
  /** what GET /info reports about the runner (its connection limit and threads) */
  about?: ServerAbout;
}

/** A route: its method, its API's error shape, and what answers it (the one routing decision, by pathname). */
type Route = {
  methods: 'GET' | 'POST';
  kind: 'openai' | 'tei' | 'plain';
  handle: 'embeddings' | 'models' | 'model' | 'embed' | 'embed_all' | 'similarity' | 'info' | 'health' | 'metrics';
};

const MODEL_ROUTE: Route = { methods: 'GET', kind: 'openai', handle: 'model' };
const ROUTES: Record<string, Route> = {
  '/v1/embeddings': { methods: 'POST', kind: 'openai', handle: 'embeddings' },
  '/embeddings': { methods: 'POST', kind: 'openai', handle: 'embeddings' },
  '/v1/models': { methods: 'GET', kind: 'openai', handle: 'models' },
  '/embed': { methods: 'POST', kind: 'tei', handle: 'embed' },
  '/embed_all': { methods: 'POST', kind: 'tei', handle: 'embed_all' },
  '/similarity': { methods: 'POST', kind: 'tei', handle: 'similarity' },
  '/info': { methods: 'GET', kind: 'tei', handle: 'info' },
  '/health': { methods: 'GET', kind: 'plain', handle: 'health' },
  '/metrics': { methods: 'GET', kind: 'plain', handle: 'metrics' },
};

let requestCounter = 0;

/**
 * The HTTP API (OpenAI's and TEI's embeddings routes, health, metrics) as one `fetch(Request) => Response`.
 *
 * @example
 * ```ts
 * import { loadDefaultModel } from 'static-embed';
 * import { EmbeddingHandler } from 'static-embed/server';
 *
 * const handler = new EmbeddingHandler({ maxInputs: 256 });
 * handler.addModel('default', await loadDefaultModel());
 * handler.setReady();
 * const res = await handler.fetch(
 *   new Request('http://localhost/v1/embeddings', {
 *     method: 'POST',
 *     headers: { 'content-type': 'application/json' },
 *     body: JSON.stringify({ model: 'default', input: ['hello', 'world'] }),
 *   }),
 * );
 * const body = (await res.json()) as { data: { embedding: number[] }[] };
 * console.log(res.status, body.data.length, body.data[0]!.embedding.length); // → 200 2 256
 * ```
 */
export class EmbeddingHandler {
  readonly metrics = new Metrics();
  private readonly entries = new Map<string, ModelEntry>();
  /** other names requests may use for a model: alias → name */
  private readonly aliases = new Map<string, string>();
  private readonly limits: Limits;
  private keyDigest: Promise<Uint8Array> | undefined;
  private isReady = false;
  /** request bodies and response rows of all requests */
  readonly budget: MemoryBudget;

  private readonly options: ServerOptions & typeof SERVER_DEFAULTS;

  constructor(options: ServerOptions = {}) {
    this.options = withDefaults(SERVER_DEFAULTS, options);
    this.limits = { maxInputs: this.options.maxInputs, maxInputChars: this.options.maxInputChars };
    if (options.apiKey !== undefined) {
      if (options.apiKey === '')
        throw new StaticEmbedError('INVALID_ARGUMENT', 'The API key is empty; give a non-empty --api-key or none.');
      this.keyDigest = digest(options.apiKey);
    }
    this.budget = new MemoryBudget(this.options.maxMemoryBytes);
    this.metrics.memoryBudgetBytes = () => this.budget.used;
    this.metrics.queueDepth = () => [...this.entries.values()].reduce((a, e) => a + e.batcher.depth, 0);
  }

  /**
   * Serves `model` under `name` (the first one added is the default). `encode` embeds a batch (un-normalized, full
   * width) with token counts; default: on the calling thread. `aliases`: other names a request may use (a model's own
   * name wins; an alias stays with the first model that took it).
   */
  addModel(name: string, model: StaticModel, encode?: EncodeFn, aliases: readonly string[] = []): void {
    if (this.entries.has(name))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Two models are named "${name}"; give each a distinct name (NAME=PATH).`,
      );
    const fn: EncodeFn =
      encode ??
      (async (texts) => {
        const tokens = new Int32Array(texts.length);
        return { rows: model.encode(texts, { normalize: false, tokenCounts: tokens }), tokens };
      });
    this.entries.set(name, {
      name,
      model,
      batcher: new MicroBatcher(fn, this.options.maxBatch, this.options.maxQueue),
    });
    for (const a of aliases) if (a !== name && !this.aliases.has(a)) this.aliases.set(a, name);
  }

  /**
   * Lets requests name a served model `alias` (e.g. "text-embedding-3-small"); `target` is a served model's name or
   * alias. Unlike addModel's aliases it replaces an alias of that name; naming nothing served, or a served model's own
   * name, is an error.
   */
  addAlias(alias: string, target: string): void {
    const name = this.entries.has(target) ? target : this.aliases.get(target);
    if (name === undefined)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--model-alias ${alias}=${target}: no served model is named "${target}"; served: ${this.names().join(', ')}.`,
      );
    if (this.entries.has(alias) && alias !== name)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--model-alias ${alias}=${target}: "${alias}" is the name of another served model; choose another alias.`,
      );
    if (alias !== name) this.aliases.set(alias, name);
  }

  /** Every name a request may give: the served models' names, then their aliases. */
  names(): string[] {
    return [...this.entries.keys(), ...this.aliases.keys()];
  }

  /** /health answers 200 from now on (call once every model is loaded). */
  setReady(ready = true): void {
    this.isReady = ready;
  }

  get ready(): boolean {
    return this.isReady;
  }

  /** The request handler. */
  readonly fetch = async (req: Request): Promise<Response> => {
    const start = performance.now();
    const url = new URL(req.url);
    const method = requestMethod.get(req) ?? req.method;
    const route = ROUTES[url.pathname] ?? (url.pathname.startsWith('/v1/models/') ? MODEL_ROUTE : undefined);
    const id = req.headers.get('x-request-id')?.slice(0, 128) ?? `req-${++requestCounter}`;
    const note: RouteContext['note'] = {};
    const lease = this.budget.lease();
    this.metrics.inFlight++;
    let res: Response;
    try {
      res = await this.dispatch(req, method, url, route, note, lease);
    } catch (e) {
      res = route?.kind === 'tei' ? teiError(e) : openAIError(e);
      note.error = e instanceof StaticEmbedError ? e.code : 'INTERNAL';
      if (statusOf(e) >= 500 && !(e instanceof StaticEmbedError && (e.code === 'NOT_READY' || e.code === 'OVERLOADED')))
        this.options.log?.({
          time: new Date().toISOString(),
          level: 'error',
          msg: 'internal error',
          id,
          error: String((e as Error)?.stack ?? e),
        });
    } finally {
      this.metrics.inFlight--;
    }
    // a streamed body keeps the reservation until it is written; anything else is done with it now
    if (!responseSource.has(res)) lease.release();
    res = this.withCors(req, method, res);
    res.headers.set('x-request-id', id);
    const seconds = (performance.now() - start) / 1000;
    const routeLabel = route === MODEL_ROUTE ? '/v1/models/{id}' : route ? url.pathname : 'other';
    this.metrics.requests.inc({ route: routeLabel, status: String(res.status) });
    this.metrics.latency.observe({ route: routeLabel }, seconds);
    if (res.status >= 400)
      this.metrics.errors.inc({ code: note.error ?? 'HTTP_' + String(res.status), status: String(res.status) });
    if (note.model && res.status < 400) {
      this.metrics.texts.inc({ model: note.model }, note.texts ?? 0);
      this.metrics.tokens.inc({ model: note.model }, note.tokens ?? 0);
    }
    this.options.log?.({
      time: new Date().toISOString(),
      level: res.status >= 500 ? 'error' : res.status >= 400 ? 'warn' : 'info',
      msg: 'request',
      id,
      method,
      path: url.pathname,
      status: res.status,
      ms: Math.round(seconds * 1e5) / 100,
      ...note,
    });
    return res;
  };

  private async dispatch(
    req: Request,
    method: string,
    url: URL,
    route: Route | undefined,
    note: RouteContext['note'],
    lease: Lease,
  ): Promise<Response> {
    if (method === 'OPTIONS' && this.options.cors && route) return new Response(null, { status: 204 });
    if (!route)
      throw new StaticEmbedError(
        'NOT_FOUND',
        `No route ${method.slice(0, 20)} ${url.pathname.slice(0, 200)}. Routes: POST /v1/embeddings, ` +
          `GET /v1/models, GET /v1/models/{id}, POST /embed, POST /embed_all, POST /similarity, GET /info, GET /health, ` +
          `GET /metrics.`,
      );
    if (method !== route.methods && !(method === 'HEAD' && route.methods === 'GET')) {
      throw Object.assign(
        new StaticEmbedError(
          'METHOD_NOT_ALLOWED',
          `${url.pathname.slice(0, 200)} accepts ${route.methods}, not ${method.slice(0, 20)}.`,
        ),
        { allow: route.methods },
      );
    }
    if (route.handle === 'health')
      return this.isReady ? json({ status: 'ok' }) : json({ status: 'loading' }, 503, { 'retry-after': '1' });
    // with an API key, /metrics needs it too (it names the models, which /v1/models keeps behind the key)
    await this.authorize(req);
    if (route.handle === 'metrics')
      return new Response(this.metrics.render(), {
        headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
      });
    if (!this.isReady)
      throw new StaticEmbedError('NOT_READY', 'The server is still loading its models; retry shortly.');
    const serializer = this.options.serializer ?? localSerializer;
    const ctx: RouteContext = {
      limits: this.limits,
      note,
      models: () => [...this.entries.values()],
      model: (name) => this.lookup(name),
      embed: (entry, texts) => entry.batcher.embed(texts),
      reserveResponse: (n, dim, bytesPerFloat) => lease.reserve(responseBytes(n, dim, bytesPerFloat), 'the response'),
      body: (kind, rows, n, dim, head, tail) => rowsBody(kind, rows, n, dim, head, tail, serializer, lease),
    };
    switch (route.handle) {
      case 'models':
        return openAIModels(ctx);
      case 'model':
        return openAIModel(modelIdOf(url.pathname), ctx);
      case 'embed':
        return teiEmbed(await this.jsonBody(req, lease), ctx);
      case 'similarity':
        return teiSimilarity(await this.jsonBody(req, lease), ctx);
      case 'info':
        return teiInfo(ctx, this.options.about ?? {}, this.options.maxBatch ?? 1024);
      case 'embed_all':
        return teiEmbedAll(await this.jsonBody(req, lease), ctx);
      case 'embeddings':
        return openAIEmbeddings(await this.jsonBody(req, lease), ctx);
    }
  }

  /** The request's JSON body (Content-Type checked first), within the body limit. */
  private async jsonBody(req: Request, lease: Lease): Promise<unknown> {
    const type = req.headers.get('content-type');
    // JSON; also text/plain (fetch's default for a string body) and form-urlencoded (curl -d's default)
    if (type !== null && !/^(application\/json|text\/plain|application\/x-www-form-urlencoded)\s*(;|$)/i.test(type)) {
      throw new StaticEmbedError(
        'UNSUPPORTED_MEDIA_TYPE',
        `The body must be JSON (Content-Type: application/json), got Content-Type "${type.slice(0, 100)}".`,
      );
    }
    return parseJsonBody(await readBody(req, this.options.maxBodyBytes, lease));
  }

  private lookup(name: unknown): ModelEntry {
    const first = this.entries.values().next().value;
    if (name === undefined || name === null || name === '') {
      if (!first) throw new StaticEmbedError('NOT_READY', 'No model is loaded yet; retry shortly.');
      return first;
    }
    if (typeof name !== 'string')
      throw Object.assign(
        new StaticEmbedError(
          'INVALID_INPUT',
          `'model' must be a string (a name from GET /v1/models), got ${Array.isArray(name) ? 'an array' : typeof name}.`,
        ),
        { param: 'model' },
      );
    const alias = this.aliases.get(name);
    const e = this.entries.get(name) ?? (alias !== undefined ? this.entries.get(alias) : undefined);
    if (!e)
      throw Object.assign(
        new StaticEmbedError(
          'NOT_FOUND',
          `The model ${JSON.stringify(name).slice(0, 200)} does not exist here; models: ${[...this.entries.keys()].join(', ')} (GET /v1/models).`,
        ),
        { param: 'model' },
      );
    return e;
  }

  /** Bearer token vs the key: SHA-256 digests compared in constant time (no early exit, no length leak). */
  private async authorize(req: Request): Promise<void> {
    if (!this.keyDigest) return;
    const header = req.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
    const [a, b] = await Promise.all([this.keyDigest, digest(token)]);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
    if (diff !== 0 || token === '')
      throw new StaticEmbedError(
        'UNAUTHORIZED',
        'Missing or invalid API key: send the header "Authorization: Bearer <key>".',
      );
  }

  /**
   * CORS when configured: every response varies by Origin; allowed origins get Access-Control-Allow-Origin, and a
   * preflight allows the headers it asks for. See ARCHITECTURE.md, "Server defences".
   */
  private withCors(req: Request, method: string, res: Response): Response {
    const allowed = this.options.cors;
    if (!allowed) return res;
    res.headers.append('vary', 'Origin');
    const origin = req.headers.get('origin');
    if (!origin || (!allowed.includes('*') && !allowed.includes(origin))) return res;
    res.headers.set('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
    if (method === 'OPTIONS') {
      const asked = req.headers.get('access-control-request-headers') ?? '';
      // only a list of header names is echoed
      const names = /^[\w-]+(\s*,\s*[\w-]+)*$/.test(asked.trim()) && asked.length <= 2000 ? asked.trim() : '';
      res.headers.set('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.headers.set(
        'access-control-allow-headers',
        names ? `authorization, content-type, x-request-id, ${names}` : 'authorization, content-type, x-request-id',
      );
      res.headers.append('vary', 'Access-Control-Request-Headers');
      res.headers.set('access-control-max-age', '600');
    }
    return res;
  }
}

/** The id of GET /v1/models/{id}: the rest of the path, URL-decoded (Hub ids have a slash, sent as %2F or as is). */
function modelIdOf(pathname: string): string {
  const raw = pathname.slice('/v1/models/'.length);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(s)));
}
