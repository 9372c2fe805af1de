/**
 * An embeddings API as a Web-standard edge function (Cloudflare Workers, Deno Deploy, Vercel/Netlify edge, Bun):
 * OpenAI's POST /v1/embeddings, TEI's POST /embed and /similarity, GET /health. The model is fetched on the first
 * request from the URL in the MODEL binding (a Hub id or a model folder URL), or the default below.
 *
 *   Cloudflare:  npx wrangler deploy examples/edge/worker.ts   (wrangler.toml: [vars] MODEL = "https://…/models/default/")
 *   Deno:        deno serve examples/edge/worker.ts
 *   Bun:         bun examples/edge/worker.ts
 *
 * In your own project, import from "static-embed" instead of the relative path.
 */
import { edgeEntry } from '../../src/runtime/web/edge.js';

export default edgeEntry({
  model: (env) =>
    typeof env.MODEL === 'string' ? env.MODEL : 'https://cdn.jsdelivr.net/npm/static-embed/models/default/',
  server: { cors: ['*'] },
});
