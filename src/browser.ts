/**
 * The browser entry point (also what Web Workers and edge runtimes such as Cloudflare Workers and Vercel Edge
 * resolve): everything in index.ts, plus StaticModel.fromPretrained over fetch and Cache Storage (Hub ids and
 * folder URLs), the default model by URL, the edge entry, and Web Workers for `encodeAsync({ workers })` and
 * `VectorIndex.searchAsync({ threads })` when the page is cross-origin isolated (without isolation, everything runs
 * on the calling thread with plain buffers).
 */
export * from './index.js';
export { StaticModel, VectorIndex } from './runtime/web/api.js';
export { webWorkersUsable } from './runtime/web/encode-workers.js';
export { loadDefaultModel, defaultModelUrl } from './runtime/web/default-model.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
