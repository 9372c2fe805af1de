/**
 * The HTTP API in a Web-standard runtime entry (`export default { fetch }`).
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
import { StaticEmbedError } from '../../errors.js';
import type { HubOptions } from '../../model/hub-options.js';
import type { LoadOptions } from '../../model/static-model.js';
import { EmbeddingHandler, type ServerOptions } from '../../server/handler.js';
import { openAIError } from '../../server/respond.js';
import { fetchPretrained } from './pretrained.js';

/** The runtime's bindings (Cloudflare passes them as fetch's second argument); strings are read from it. */
export type EdgeEnv = Record<string, unknown>;

export interface EdgeConfig {
  /** Hub id or model folder URL, or a function of the runtime's bindings giving one */
  model: string | URL | ((env: EdgeEnv) => string | URL);
  /** the model's name in the API (default "default") */
  name?: string;
  /** load options (truncateDim, normalize, …) and fetch options (revision, endpoint, token, cache, …) */
  load?: LoadOptions & HubOptions;
  /** the server's options: apiKey, limits, cors, log */
  server?: ServerOptions;
}

export interface EdgeEntry {
  fetch(request: Request, env?: EdgeEnv): Promise<Response>;
  /** the handler, e.g. for its metrics */
  readonly handler: EmbeddingHandler;
}

/** `export default edgeEntry({ model: 'owner/name' })` is a complete edge function serving the embeddings API. */
export function edgeEntry(config: EdgeConfig): EdgeEntry {
  const handler = new EmbeddingHandler(config.server ?? {});
  let loading: Promise<void> | undefined;
  const load = (env: EdgeEnv): Promise<void> =>
    (loading ??= (async () => {
      const source = typeof config.model === 'function' ? config.model(env) : config.model;
      const model = await fetchPretrained(source, config.load ?? {});
      handler.addModel(config.name ?? 'default', model);
      handler.setReady();
    })().catch((e: unknown) => {
      loading = undefined;
      throw e;
    }));
  return {
    handler,
    async fetch(request: Request, env: EdgeEnv = {}): Promise<Response> {
      if (!handler.ready) {
        try {
          await load(env);
        } catch (e) {
          const why = e instanceof StaticEmbedError ? `${e.code}: ${e.message}` : String(e);
          return openAIError(
            new StaticEmbedError('NOT_READY', `The model could not be loaded (${why}); the next request tries again.`),
          );
        }
      }
      return handler.fetch(request);
    },
  };
}
