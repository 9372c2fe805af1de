/**
 * The Node entry point: index.ts plus worker threads, the default model, model folders and the Hub.
 * See ARCHITECTURE.md, "Entry points and runtimes".
 */
export * from './index.js';
export { StaticModel, VectorIndex, paraphraseMining, mineParaphrases } from './runtime/node/api.js';
export { saveModel } from './runtime/node/fs.js';
export { loadDefaultModel } from './runtime/node/default-model.js';
export { downloadModel } from './runtime/node/hub.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
