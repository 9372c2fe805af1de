/**
 * The Node entry point: everything in index.ts, plus worker threads for `encode({ workers })`, the embedded
 * default model, saving model folders, Hub downloads and the edge entry; its StaticModel, VectorIndex and mining
 * functions use the Node runtime (StaticModel.fromPretrained reads folders and the Hub cache).
 */
export * from './index.js';
export { StaticModel, VectorIndex, paraphraseMining, mineParaphrases } from './runtime/node/api.js';
export { saveModel } from './runtime/node/fs.js';
export { loadDefaultModel } from './runtime/node/default-model.js';
export { downloadModel } from './runtime/node/hub.js';
export { edgeEntry, type EdgeConfig, type EdgeEntry, type EdgeEnv } from './runtime/web/edge.js';
