/** `static-embed/server`: the OpenAI- and TEI-compatible HTTP API as a `(Request) => Promise<Response>` handler. */
export { EmbeddingHandler, type ServerOptions } from '../server/handler.js';
export type { ModelEntry } from '../server/context.js';
