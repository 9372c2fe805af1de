/** static-embed serve: the HTTP API (OpenAI- and TEI-compatible) over one or more models. */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { DEFAULT_MODEL_NAME, DEFAULT_MODEL_PATH, defaultModelId } from '../../runtime/node/default-model.js';
import type { StaticModel } from '../../model/static-model.js';
import { EmbeddingHandler } from '../../server/handler.js';
import { serveNode, type RunningServer } from '../../runtime/node/serve.js';
import { SerializerPool } from '../../runtime/node/serializer-pool.js';
import type { Args, Command } from '../command.js';
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

export const serve: Command = {
  name: 'serve',
  summary: 'Serve embeddings over HTTP: OpenAI /v1/embeddings, TEI /embed and /similarity, /health, /metrics.',
  usage:
    'static-embed serve [--model [NAME=]M …] [--host 127.0.0.1] [--port 8080] [--api-key KEY] ' +
    '[--workers N] [--serializers N] [--max-batch N] [--max-input-chars N] [--max-inputs N] ' +
    ('[--max-body-bytes N] [--max-memory-bytes N] [--max-connections N] [--cors ORIGINS] ' +
      '[--request-timeout S] [--headers-timeout S] [--write-timeout S] [--shutdown-grace S] [--quiet]'),
  details: [
    '--model may be repeated; the first is the default for requests without "model". NAME=M serves ' +
      'M as NAME (else its Hub id or folder name; the embedded model, --model static-embed-default or none, is served as static-embed-default-v2; ' +
      'requests may also name it static-embed-default or static-embed-default-v2, whatever NAME it is served as).',
    '--api-key KEY or env STATIC_EMBED_API_KEY (preferred: a flag is visible to other users in the ' +
      'process list): clients send "Authorization: Bearer KEY" to every route but /health (/metrics too).',
    '--workers N: encoding threads (default: all cores; 0 = on the event loop); --serializers N: threads writing response JSON/base64 (default: all ' +
      'cores; 0 = on the event loop). --max-batch: texts per micro-batch (default 1024); --max-queue: texts waiting per model before 503 (default 65536).',
    'Limits: --max-body-bytes (4194304, also once gzip/deflate is decoded), --max-inputs per request ' +
      '(2048), --max-input-chars per input (100000) → 413 (400 on the OpenAI routes) naming the limit.',
    '--max-memory-bytes N: request bodies and responses held at once, all requests together ' +
      '(268435456); beyond it 503 (OpenAI routes) / 429 (TEI routes) with Retry-After.',
    'Connections: --max-connections (1024; per-IP limits belong in a reverse proxy), --headers-timeout S (10), ' +
      '--request-timeout S for the whole request (30), --write-timeout S without progress while sending (30) → 408 or closed.',
    '--cors ORIGINS: comma-separated allowed origins, or *; without it no CORS headers are sent.',
    'Logs: JSON lines on stdout — start, models, one per request (no bodies); --quiet leaves out requests that did not fail on the server. ' +
      'SIGTERM/SIGINT: stop accepting, write every in-flight response to its end (at most --shutdown-grace S, 10), exit 0; a second signal exits at once.',
    ...MODEL_HELP.filter((l) => !l.startsWith('--model')),
  ],
  options: {
    model: { type: 'string', multiple: true },
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
    const quiet = args.boolean('quiet');
    const log = (e: Record<string, unknown>) => {
      if (!quiet || e.level === 'error' || (e.msg !== 'request' && e.msg !== 'client error'))
        process.stdout.write(JSON.stringify(e) + '\n');
    };
    const workers = args.int('workers', availableParallelism(), 0);
    const apiKey = args.optionalString('api-key') ?? process.env.STATIC_EMBED_API_KEY;
    const serializerThreads = args.int('serializers', availableParallelism(), 0);
    const shutdownGraceMs = args.seconds('shutdown-grace', 10);
    const host = args.optionalString('host') ?? '127.0.0.1';
    const port = args.int('port', 8080, 0, 65_535);
    const serializers = serializerThreads > 0 ? new SerializerPool(serializerThreads) : undefined;
    // from here on a failure (a bad option, a port in use) must stop the serializer threads, or the process hangs
    let handler: EmbeddingHandler, running: RunningServer;
    try {
      handler = new EmbeddingHandler(handlerOptions(args, apiKey, log, serializers));
      handler.metrics.residentBytes = () => process.memoryUsage.rss();
      running = await serveNode(handler.fetch, {
        host,
        port,
        log,
        requestTimeoutMs: args.seconds('request-timeout', 30),
        headersTimeoutMs: args.seconds('headers-timeout', 10),
        writeTimeoutMs: args.seconds('write-timeout', 30),
        maxConnections: args.int('max-connections', 1024),
      });
    } catch (e) {
      await serializers?.close();
      throw e;
    }
    log({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'listening',
      url: running.url,
      models: specs.map((s) => s.name),
      workers,
    });
    const models: StaticModel[] = [];
    const stopped = onSignals(running, models, serializers, shutdownGraceMs, log);
    try {
      for (const s of specs) models.push(await loadServed(s, handler, loadOptionsFrom(args), workers, log));
    } catch (e) {
      await running.close(0);
      await serializers?.close();
      throw e;
    }
    handler.setReady();
    log({ time: new Date().toISOString(), level: 'info', msg: 'ready', url: running.url });
    await stopped;
  },
};

type Log = (e: Record<string, unknown>) => void;

/** The handler's limits and options from the command line. */
function handlerOptions(args: Args, apiKey: string | undefined, log: Log, serializers: SerializerPool | undefined) {
  return {
    ...(apiKey !== undefined ? { apiKey } : {}),
    maxBodyBytes: args.int('max-body-bytes', 4 * 1024 * 1024),
    maxInputs: args.int('max-inputs', 2048),
    maxInputChars: args.int('max-input-chars', 100_000),
    maxBatch: args.int('max-batch', 1024),
    maxQueue: args.int('max-queue', 65_536),
    maxMemoryBytes: args.int('max-memory-bytes', 256 * 1024 * 1024),
    ...(args.optionalString('cors')
      ? {
          cors: args
            .optionalString('cors')!
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : {}),
    ...(serializers ? { serializer: serializers.serialize } : {}),
    log,
  };
}

/** SIGTERM and SIGINT: a graceful close (a second signal exits at once); resolves once everything is stopped. */
function onSignals(
  running: RunningServer,
  models: StaticModel[],
  serializers: SerializerPool | undefined,
  graceMs: number,
  log: Log,
): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) {
        // a second signal: exit now
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

/** One served model loaded and added to the handler (encoding on worker threads unless --workers 0). */
async function loadServed(
  s: ReturnType<typeof modelSpec>,
  handler: EmbeddingHandler,
  options: ReturnType<typeof loadOptionsFrom>,
  workers: number,
  log: Log,
): Promise<StaticModel> {
  const t0 = performance.now();
  const model = await loadModel(s.source, options);
  handler.addModel(
    s.name,
    model,
    workers === 0
      ? undefined
      : async (texts) => {
          const tokens = new Int32Array(new SharedArrayBuffer(Math.max(4, texts.length * 4)), 0, texts.length);
          return {
            rows: await model.encodeAsync(texts, { workers, normalize: false, tokenCounts: tokens }),
            tokens,
          };
        },
    s.aliases,
  );
  if (workers > 0) model.prepareWorkers(workers, true);
  log({
    time: new Date().toISOString(),
    level: 'info',
    msg: 'model loaded',
    model: s.name,
    dim: model.dim,
    vocab: model.info().vocabSize,
    ms: Math.round(performance.now() - t0),
  });
  return model;
}
