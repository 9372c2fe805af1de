/**
 * The browser entry point: index.ts plus fetch loading, the default model by URL, the edge entry and Web Workers.
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
export * from './index.js';
export { StaticModel, VectorIndex } from './runtime/web/api.js';
export { webWorkersUsable } from './runtime/web/encode-workers.js';
export { loadDefaultModel, defaultModelUrl } from './runtime/web/default-model.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
