/** static-embed serve: the HTTP API (OpenAI- and TEI-compatible) over one or more models. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { DEFAULT_MODEL_NAME, DEFAULT_MODEL_PATH, defaultModelId } from '../../runtime/node/default-model.js';
import type { StaticModel } from '../../model/static-model.js';
import { EmbeddingHandler, SERVER_DEFAULTS, type ServerOptions } from '../../server/handler.js';
import { NODE_SERVE_DEFAULTS, serveNode, type RunningServer } from '../../runtime/node/serve.js';
import { SerializerThreads } from '../../runtime/node/serializer-threads.js';
import type { Args, Command } from '../command.js';
import { StaticEmbedError } from '../../errors.js';
import { MODEL_HELP, loadModel, loadOptionsFrom, resolveModel } from '../model-arg.js';

/**
 * NAME=PATH_OR_ID, or PATH_OR_ID named by its Hub id or folder name. The embedded model is named by its id, and
 * requests may name it by any of its names (`aliases`: static-embed-default and its id), whatever it is served as.
 */
function modelSpec(given: string): { name: string; source: string; aliases: string[] } {
  const eq = given.indexOf('=');
  const named = eq > 0 && !given.slice(0, eq).includes('/');
  const source = named ? given.slice(eq + 1) : given;
  const s = resolveModel(source);
  const embedded = s === DEFAULT_MODEL_PATH;
  const aliases = embedded ? [defaultModelId(), DEFAULT_MODEL_NAME] : [];
  if (named) return { name: given.slice(0, eq), source, aliases };
  if (embedded) return { name: defaultModelId(), source, aliases };
  // a folder that exists is loaded as a folder (fromPretrained), so it is named by its folder name too
  const looksLikeId = /^[\w.-]+\/[\w.-]+$/.test(s) && !s.startsWith('.') && !existsSync(s);
  return { name: looksLikeId ? s : basename(s.replace(/\/+$/, '')), source, aliases };
}

/** The port `serve` listens on by default (TEI's examples and OpenAI-style servers use 8080; the demo takes 8090). */
export const SERVE_PORT = 8080;

/**
 * --model-alias NAME=MODEL values: alias → the name (or alias) of a served model, checked against the --model
 * values before anything loads.
 */
export function aliasSpecs(given: readonly string[], specs: ReturnType<typeof modelSpec>[]): Map<string, string> {
  const known = new Set(specs.flatMap((s) => [s.name, ...s.aliases]));
  const out = new Map<string, string>();
  for (const g of given) {
    const eq = g.indexOf('=');
    const [alias, target] = eq > 0 ? [g.slice(0, eq), g.slice(eq + 1)] : ['', ''];
    if (alias === '' || target === '')
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--model-alias takes NAME=MODEL (e.g. text-embedding-3-small=${DEFAULT_MODEL_NAME}), got ${JSON.stringify(g)}.`,
      );
    if (!known.has(target))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--model-alias ${g}: no served model is named "${target}"; served: ${[...known].join(', ')}.`,
      );
    if (specs.some((s) => s.name === alias))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--model-alias ${g}: "${alias}" is the name of a served model already; choose another alias.`,
      );
    out.set(alias, target);
  }
  return out;
}

function logger(quiet: boolean): (e: Record<string, unknown>) => void {
  // a log that cannot be written (a closed pipe, a full disk) stops the logging, with one line on stderr, never the server
  let failed = false;
  process.stdout.setMaxListeners(process.stdout.getMaxListeners() + 1); // beside the worker threads' pipes
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    process.stderr.write(
      `static-embed serve: warning: the log cannot be written to standard output (${err.code}); logging stops.\n`,
    );
  });
  return (e) => {
    if (failed) return;
    if (!quiet || e.level === 'error' || (e.msg !== 'request' && e.msg !== 'client error'))
      process.stdout.write(JSON.stringify(e) + '\n');
  };
}

function handlerOptions(
  args: Args,
  log: (e: Record<string, unknown>) => void,
  workers: number,
  serializers: SerializerThreads | undefined,
): ServerOptions {
  const apiKey = args.optionalString('api-key') ?? process.env.STATIC_EMBED_API_KEY;
  const cors = args.optionalString('cors');
  return {
    ...(apiKey !== undefined ? { apiKey } : {}),
    maxBodyBytes: args.int('max-body-bytes', SERVER_DEFAULTS.maxBodyBytes),
    maxInputs: args.int('max-inputs', SERVER_DEFAULTS.maxInputs),
    maxInputChars: args.int('max-input-chars', SERVER_DEFAULTS.maxInputChars),
    maxBatch: args.int('max-batch', SERVER_DEFAULTS.maxBatch),
    maxQueue: args.int('max-queue', SERVER_DEFAULTS.maxQueue),
    maxMemoryBytes: args.int('max-memory-bytes', SERVER_DEFAULTS.maxMemoryBytes),
    ...(cors
      ? {
          cors: cors
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(serializers ? { serializer: serializers.serialize } : {}),
    about: { maxConcurrentRequests: args.int('max-connections', 1024), threads: workers },
    log,
  };
}

/** Loads one --model and serves it (on `workers` threads; 0: on the event loop). */
async function loadServed(
  s: ReturnType<typeof modelSpec>,
  handler: EmbeddingHandler,
  loadOptions: ReturnType<typeof loadOptionsFrom>,
  workers: number,
  log: (e: Record<string, unknown>) => void,
): Promise<StaticModel> {
  const t0 = performance.now();
  const model = await loadModel(s.source, loadOptions);
  const encode =
    workers === 0
      ? undefined
      : async (texts: string[]) => {
          const tokens = new Int32Array(new SharedArrayBuffer(Math.max(4, texts.length * 4)), 0, texts.length);
          return { rows: await model.encodeAsync(texts, { workers, normalize: false, tokenCounts: tokens }), tokens };
        };
  handler.addModel(s.name, model, encode, s.aliases);
  if (workers > 0) model.prepareWorkers(workers, true);
  const ms = Math.round(performance.now() - t0);
  const vocab = model.info().vocabSize;
  log({ time: new Date().toISOString(), level: 'info', msg: 'model loaded', model: s.name, dim: model.dim, vocab, ms });
  return model;
}

/** SIGTERM/SIGINT: stop accepting, finish in-flight responses (at most `graceMs`), close; a second signal exits. */
function onSignals(
  running: RunningServer,
  models: StaticModel[],
  serializers: SerializerThreads | undefined,
  graceMs: number,
  log: (e: Record<string, unknown>) => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        log({ time: new Date().toISOString(), level: 'warn', msg: 'exiting at once', signal });
        process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
      }
      stopping = true;
      log({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal });
      void running.close(graceMs).then(async () => {
        await Promise.all([...models.map((m) => m.close()), serializers?.close()]);
        log({ time: new Date().toISOString(), level: 'info', msg: 'stopped' });
        resolve();
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

export const serve: Command = {
  name: 'serve',
  summary: 'Serve embeddings over HTTP: OpenAI /v1/embeddings, TEI /embed, /similarity and /info, /health, /metrics.',
  usage:
    'static-embed serve [--model [NAME=]M …] [--model-alias NAME=MODEL …] [--host 127.0.0.1] [--port 8080] [--api-key KEY] ' +
    '[--workers N] [--serializers N] [--max-batch N] [--max-input-chars N] [--max-inputs N] ' +
    ('[--max-body-bytes N] [--max-memory-bytes N] [--max-connections N] [--cors ORIGINS] ' +
      '[--request-timeout S] [--headers-timeout S] [--write-timeout S] [--shutdown-grace S] [--quiet]'),
  details: [
    '--model may be repeated; the first is the default for requests without "model". NAME=M serves ' +
      'M as NAME (else its Hub id or folder name; the embedded model, --model static-embed-default or none, is served as static-embed-default-v2; ' +
      'requests may also name it static-embed-default or static-embed-default-v2, whatever NAME it is served as).',
    '--model-alias NAME=MODEL (repeatable): requests may name the served model MODEL (a NAME above, or one of its ' +
      'names) NAME too — e.g. --model-alias text-embedding-3-small=static-embed-default for an app written for OpenAI.',
    '"listening" is logged once every model is loaded (the port is taken first: /health answers 503 "loading" until then).',
    '--api-key KEY or env STATIC_EMBED_API_KEY (preferred: a flag is visible to other users in the ' +
      'process list): clients send "Authorization: Bearer KEY" to every route but /health (/metrics too).',
    '--workers N: encoding threads (default: all cores; 0 = on the event loop); --serializers N: threads writing response JSON/base64 (default: all ' +
      `cores; 0 = on the event loop). --max-batch: texts per micro-batch (default ${SERVER_DEFAULTS.maxBatch}); ` +
      `--max-queue: texts waiting per model before 503 (default ${SERVER_DEFAULTS.maxQueue}).`,
    `Limits: --max-body-bytes (${SERVER_DEFAULTS.maxBodyBytes}, also once gzip/deflate is decoded), --max-inputs per request ` +
      `(${SERVER_DEFAULTS.maxInputs}), --max-input-chars per input (${SERVER_DEFAULTS.maxInputChars}) → 413 (400 on the OpenAI routes) naming the limit.`,
    '--max-memory-bytes N: request bodies and responses held at once, all requests together ' +
      `(${SERVER_DEFAULTS.maxMemoryBytes}); beyond it 503 (OpenAI routes) / 429 (TEI routes) with Retry-After.`,
    'Connections: --max-connections (1024; per-IP limits belong in a reverse proxy), --headers-timeout S (10), ' +
      '--request-timeout S for the whole request (30), --write-timeout S without progress while sending (30) → 408 or closed.',
    '--cors ORIGINS: comma-separated allowed origins, or *; without it no CORS headers are sent.',
    'Logs: JSON lines on stdout — start, models, one per request (no bodies); --quiet leaves out requests that did not fail on the server. ' +
      'SIGTERM/SIGINT: stop accepting, write every in-flight response to its end (at most --shutdown-grace S, 10), exit 0; a second signal exits at once.',
    ...MODEL_HELP.filter((l) => !l.startsWith('--model')),
  ],
  options: {
    model: { type: 'string', multiple: true },
    'model-alias': { type: 'string', multiple: true },
    dim: { type: 'string' },
    normalize: { type: 'boolean' },
    'no-normalize': { type: 'boolean' },
    profile: { type: 'string' },
    revision: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'api-key': { type: 'string' },
    workers: { type: 'string' },
    serializers: { type: 'string' },
    'max-batch': { type: 'string' },
    'max-input-chars': { type: 'string' },
    'max-inputs': { type: 'string' },
    'max-queue': { type: 'string' },
    'max-body-bytes': { type: 'string' },
    'max-memory-bytes': { type: 'string' },
    'max-connections': { type: 'string' },
    cors: { type: 'string' },
    'request-timeout': { type: 'string' },
    'headers-timeout': { type: 'string' },
    'write-timeout': { type: 'string' },
    'shutdown-grace': { type: 'string' },
    quiet: { type: 'boolean' },
  },
  async run(args) {
    const specs = ((args.values.model as string[] | undefined) ?? [DEFAULT_MODEL_PATH]).map(modelSpec);
    const aliases = aliasSpecs((args.values['model-alias'] as string[] | undefined) ?? [], specs);
    const log = logger(args.boolean('quiet'));
    const workers = args.int('workers', availableParallelism(), 0);
    const serializerThreads = args.int('serializers', availableParallelism(), 0);
    // every option is read before the port is taken and threads start: a bad one must not leave them running
    const graceMs = args.seconds('shutdown-grace', 10);
    const loadOptions = loadOptionsFrom(args);
    const serializers = serializerThreads > 0 ? new SerializerThreads(serializerThreads) : undefined;
    // from here on a failure (a bad option, a port in use) must stop the serializer threads, or the process hangs
    let handler: EmbeddingHandler, running: RunningServer;
    try {
      handler = new EmbeddingHandler(handlerOptions(args, log, workers, serializers));
      handler.metrics.residentBytes = () => process.memoryUsage.rss();
      running = await serveNode(handler.fetch, {
        host: args.optionalString('host') ?? NODE_SERVE_DEFAULTS.host,
        port: args.int('port', SERVE_PORT, 0, 65_535),
        log,
        requestTimeoutMs: args.seconds('request-timeout', NODE_SERVE_DEFAULTS.requestTimeoutMs / 1000),
        headersTimeoutMs: args.seconds('headers-timeout', NODE_SERVE_DEFAULTS.headersTimeoutMs / 1000),
        writeTimeoutMs: args.seconds('write-timeout', NODE_SERVE_DEFAULTS.writeTimeoutMs / 1000),
        maxConnections: args.int('max-connections', NODE_SERVE_DEFAULTS.maxConnections),
      });
    } catch (e) {
      await serializers?.close();
      throw e;
    }
    // the port is taken (so it cannot fail later), but "listening" waits for the models: /health says "loading"
    log({ time: new Date().toISOString(), level: 'info', msg: 'loading', models: specs.map((s) => s.name) });
    const models: StaticModel[] = [];
    const stopped = onSignals(running, models, serializers, graceMs, log);
    try {
      for (const s of specs) models.push(await loadServed(s, handler, loadOptions, workers, log));
      for (const [alias, target] of aliases) handler.addAlias(alias, target);
    } catch (e) {
      await running.close(0);
      await Promise.all([...models.map((m) => m.close()), serializers?.close()]);
      throw e;
    }
    handler.setReady();
    log({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'listening',
      url: running.url,
      models: specs.map((s) => s.name),
      ...(aliases.size > 0 ? { aliases: Object.fromEntries(aliases) } : {}),
      workers,
    });
    log({ time: new Date().toISOString(), level: 'info', msg: 'ready', url: running.url });
    await stopped;
  },
};
